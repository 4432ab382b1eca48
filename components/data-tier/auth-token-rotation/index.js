"use strict";
/**
 * Secrets Manager rotation function of a Valkey AUTH token on an ElastiCache replication group
 * (the four steps of https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 *
 * Without downtime: `setSecret` adds the new token with ElastiCache's ROTATE strategy, under which
 * the group accepts the new token and the one clients use now; `finishSecret` then makes the new
 * token AWSCURRENT. Clients that still hold the previous token keep working until the next
 * rotation, one rotation interval later. It never uses SET, which would drop the previous token at
 * once (https://docs.aws.amazon.com/AmazonElastiCache/latest/dg/auth.html, "Modifying the AUTH
 * token on an existing cluster").
 *
 * The function reaches the Secrets Manager and ElastiCache APIs only; it has no network path to the
 * cache, so `testSecret` checks through the ElastiCache API that the group finished applying the
 * new token, not with an AUTH over the wire.
 *
 * Runs on the Lambda Node.js runtime, whose AWS SDK for JavaScript v3 it uses; the SDK is loaded
 * only when the handler runs, so the steps can be tested with fake clients.
 */
const crypto = require("node:crypto");
const {
  finishSecret,
  pendingRotation,
  randomAlphanumeric,
  runtimeSecrets,
} = require("@platform/secrets-rotation");

/** AUTH tokens take 16-128 printable characters without / " @ %: alphanumerics are always safe. */
const TOKEN_LENGTH = 64;
/** Seconds between looks at the replication group while ElastiCache applies the token. */
const POLL_SECONDS = 15;

/** A new token: uniformly random alphanumerics from the platform's CSPRNG. */
function newToken(randomBytes = crypto.randomBytes) {
  return randomAlphanumeric(TOKEN_LENGTH, randomBytes);
}

/** True when ElastiCache last changed the group's AUTH token after the pending version was created. */
function appliedSince(group, createdDate) {
  const modified = group.AuthTokenLastModifiedDate;
  return modified !== undefined && new Date(modified).getTime() >= new Date(createdDate).getTime();
}

function settled(group) {
  return group.Status === "available" && !(group.PendingModifiedValues || {}).AuthTokenStatus;
}

async function pendingVersion(deps, secretId, token) {
  return deps.secrets.getSecretValue({
    SecretId: secretId,
    VersionId: token,
    VersionStage: "AWSPENDING",
  });
}

async function createSecret(deps, secretId, token) {
  try {
    await pendingVersion(deps, secretId, token);
    return; // an earlier attempt of this rotation already created it
  } catch (error) {
    if (error.name !== "ResourceNotFoundException") throw error;
  }
  await deps.secrets.putSecretValue({
    SecretId: secretId,
    ClientRequestToken: token,
    SecretString: newToken(deps.randomBytes),
    VersionStages: ["AWSPENDING"],
  });
}

async function setSecret(deps, secretId, token, groupId) {
  const pending = await pendingVersion(deps, secretId, token);
  const group = await deps.cache.describeReplicationGroup(groupId);
  if (appliedSince(group, pending.CreatedDate) && settled(group)) return;
  // Ours, from an earlier attempt of this step: testSecret waits for it.
  if ((group.PendingModifiedValues || {}).AuthTokenStatus === "ROTATING") return;
  if (!settled(group)) {
    throw new Error(
      `Replication group ${groupId} is ${group.Status}, not available: the AUTH token is changed only on a settled group; the rotation is retried`,
    );
  }
  await deps.cache.modifyReplicationGroup({
    ReplicationGroupId: groupId,
    AuthToken: pending.SecretString,
    AuthTokenUpdateStrategy: "ROTATE",
    ApplyImmediately: true,
  });
}

async function testSecret(deps, secretId, token, groupId) {
  const pending = await pendingVersion(deps, secretId, token);
  for (;;) {
    const group = await deps.cache.describeReplicationGroup(groupId);
    if (settled(group) && appliedSince(group, pending.CreatedDate)) return;
    if (deps.remainingMs() < (POLL_SECONDS + 10) * 1000) {
      throw new Error(
        `Replication group ${groupId} has not applied the new AUTH token yet (status ${group.Status}); the rotation is retried`,
      );
    }
    await deps.sleep(POLL_SECONDS * 1000);
  }
}

/** One step of a rotation, as Secrets Manager invokes it. */
async function rotate(event, deps) {
  const { SecretId: secretId, ClientRequestToken: token, Step: step } = event;
  const groupId = deps.replicationGroupId;
  if (!groupId)
    throw new Error("REPLICATION_GROUP_ID is not set: name the group whose token rotates");
  const versions = await pendingRotation(deps.secrets, secretId, token);
  if (versions === undefined) return; // this rotation already finished
  switch (step) {
    case "createSecret":
      return createSecret(deps, secretId, token);
    case "setSecret":
      return setSecret(deps, secretId, token, groupId);
    case "testSecret":
      return testSecret(deps, secretId, token, groupId);
    case "finishSecret":
      return finishSecret(deps.secrets, secretId, token, versions);
    default:
      throw new Error(`Unknown rotation step ${JSON.stringify(step)}`);
  }
}

/** The clients of the Lambda runtime's AWS SDK v3. */
function runtimeDeps(context) {
  const ec = require("@aws-sdk/client-elasticache");
  const cache = new ec.ElastiCacheClient({});
  return {
    replicationGroupId: process.env.REPLICATION_GROUP_ID,
    randomBytes: crypto.randomBytes,
    remainingMs: () => context.getRemainingTimeInMillis(),
    sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
    secrets: runtimeSecrets(),
    cache: {
      describeReplicationGroup: async (id) =>
        (await cache.send(new ec.DescribeReplicationGroupsCommand({ ReplicationGroupId: id })))
          .ReplicationGroups[0],
      modifyReplicationGroup: (input) => cache.send(new ec.ModifyReplicationGroupCommand(input)),
    },
  };
}

exports.handler = async (event, context) => rotate(event, runtimeDeps(context));
exports.rotate = rotate;
exports.newToken = newToken;
