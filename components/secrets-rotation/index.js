"use strict";
/**
 * What every Secrets Manager rotation function of the platform does the same way, shipped in each
 * function's archive (node_modules/@platform/secrets-rotation): the checks that open each of the
 * four steps, finishSecret, and new random values
 * (https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html).
 *
 * Plain CommonJS for the Lambda Node.js runtime; the AWS SDK comes from the runtime and is loaded
 * only by runtimeSecrets, so the functions can be tested with fake clients.
 */
const crypto = require("node:crypto");

/** Alphanumerics only: safe in every token, connection string and shell they land in. */
const ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
/** Largest multiple of the alphabet's size below 256: bytes above it are dropped (no modulo bias). */
const UNBIASED_LIMIT = 256 - (256 % ALPHABET.length);

/** `length` uniformly random alphanumerics from the platform's CSPRNG. */
function randomAlphanumeric(length, randomBytes = crypto.randomBytes) {
  let value = "";
  while (value.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < UNBIASED_LIMIT && value.length < length) value += ALPHABET[byte % ALPHABET.length];
    }
  }
  return value;
}

/**
 * The checks every step opens with: rotation is on, `token` names a version, and that version is
 * AWSPENDING. Returns the secret's versions and their stages, or undefined when the version is
 * already AWSCURRENT (this rotation finished: the step has nothing to do).
 */
async function pendingRotation(secrets, secretId, token) {
  const secret = await secrets.describeSecret({ SecretId: secretId });
  if (!secret.RotationEnabled) throw new Error(`Secret ${secretId} does not have rotation enabled`);
  const versions = secret.VersionIdsToStages || {};
  const stages = versions[token];
  if (!stages) throw new Error(`Secret ${secretId} has no version ${token} to rotate to`);
  if (stages.includes("AWSCURRENT")) return undefined;
  if (!stages.includes("AWSPENDING")) {
    throw new Error(`Version ${token} of secret ${secretId} is not AWSPENDING`);
  }
  return versions;
}

/** Makes the pending version AWSCURRENT (the previous current one becomes AWSPREVIOUS). */
async function finishSecret(secrets, secretId, token, versions) {
  const current = Object.keys(versions).find((id) => versions[id].includes("AWSCURRENT"));
  if (current === token) return;
  await secrets.updateSecretVersionStage({
    SecretId: secretId,
    VersionStage: "AWSCURRENT",
    MoveToVersionId: token,
    ...(current !== undefined ? { RemoveFromVersionId: current } : {}),
  });
}

/** Secrets Manager as the steps call it, through the Lambda runtime's AWS SDK v3. */
function runtimeSecrets() {
  const sm = require("@aws-sdk/client-secrets-manager");
  const client = new sm.SecretsManagerClient({});
  return {
    describeSecret: (input) => client.send(new sm.DescribeSecretCommand(input)),
    getSecretValue: (input) => client.send(new sm.GetSecretValueCommand(input)),
    putSecretValue: (input) => client.send(new sm.PutSecretValueCommand(input)),
    updateSecretVersionStage: (input) => client.send(new sm.UpdateSecretVersionStageCommand(input)),
  };
}

module.exports = { finishSecret, pendingRotation, randomAlphanumeric, runtimeSecrets };
