/**
 * Carrying out a remediation plan (mode act only, never in production — remediationPlan returns
 * nothing there): stop an Autonomous Database (OCI's stop action, signed), set the node group's
 * Auto Scaling group to zero. Each action on its own: one failure is reported, the others still
 * run. Endpoints are never deleted automatically.
 */
import { AutoScalingClient, UpdateAutoScalingGroupCommand } from "@aws-sdk/client-auto-scaling";
import { ociPost, OciSigner } from "./collect";
import { RemediationAction } from "./idle";

export interface RemediationOutcome {
  readonly id: string;
  readonly action: RemediationAction["action"];
  readonly outcome: "done" | "skipped" | "announced: acted on at the next run if still idle" | `failed: ${string}`;
}

/**
 * Dry run first, always: in act mode only what the previous day's run already listed (same
 * resource, same action) is carried out; anything new is announced today and acted on tomorrow if
 * it is still idle and over budget. Switching to act therefore never touches a resource nobody saw listed.
 */
export function dueActions(
  today: readonly RemediationAction[],
  listedYesterday: readonly { id: string; action: string }[],
): { due: RemediationAction[]; announced: RemediationAction[] } {
  const seen = new Set(listedYesterday.map((a) => `${a.id}\u0000${a.action}`));
  const due = today.filter((a) => seen.has(`${a.id}\u0000${a.action}`));
  return { due, announced: today.filter((a) => !due.includes(a)) };
}

export async function carryOut(
  actions: readonly RemediationAction[],
  clients: {
    autoScaling: Pick<AutoScalingClient, "send">;
    oci: { signer: OciSigner; databaseEndpoint: string; fetchFn?: typeof fetch };
  },
): Promise<RemediationOutcome[]> {
  const outcomes: RemediationOutcome[] = [];
  for (const a of actions) {
    try {
      if (a.action === "stop database") {
        const uri = `${clients.oci.databaseEndpoint}/20160918/autonomousDatabases/${encodeURIComponent(a.id)}/actions/stop`;
        const response = await ociPost(uri, "", clients.oci.signer, clients.oci.fetchFn);
        if (!response.ok) throw new Error(`OCI answered HTTP ${response.status}`);
        outcomes.push({ id: a.id, action: a.action, outcome: "done" });
      } else if (a.action === "scale nodes to zero") {
        await clients.autoScaling.send(
          new UpdateAutoScalingGroupCommand({ AutoScalingGroupName: a.id, MinSize: 0, DesiredCapacity: 0, MaxSize: 0 }),
        );
        outcomes.push({ id: a.id, action: a.action, outcome: "done" });
      } else {
        outcomes.push({ id: a.id, action: a.action, outcome: "skipped" });
      }
    } catch (err) {
      outcomes.push({ id: a.id, action: a.action, outcome: `failed: ${(err as Error).message}` });
    }
  }
  return outcomes;
}
