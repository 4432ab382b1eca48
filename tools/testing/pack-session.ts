/**
 * One policy pack process for the whole test run: the compiled pack (policy-pack/bin, rebuilt when
 * a source is newer) served by run-policy-pack exactly as the Pulumi CLI starts it.
 */
import * as path from "path";
import { startPolicyPack, type PolicyPackSession } from "../analyzer";
import { ensurePackBuilt } from "../preview/policy";

export const PACK_DIR = path.join(__dirname, "..", "..", "policy-pack");

let session: Promise<PolicyPackSession> | undefined;

// Registered when the first test file loads this module: a root hook, run after every file.
after(async () => {
  if (session) await (await session).close();
});

export function packSession(): Promise<PolicyPackSession> {
  if (!session) {
    ensurePackBuilt(PACK_DIR);
    session = startPolicyPack({ packDir: PACK_DIR });
  }
  return session;
}
