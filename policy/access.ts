/**
 * The access-path policies: every declared runtime call is permitted once everything AWS (and OCI)
 * evaluate is put together; a call that cannot be decided yet is reported, never passed. The
 * declared calls reach the pack through its config (policy/config/<stack>.json, written by
 * `npm run policy:generate` from the program's declarations); the offline plan passes them directly.
 */
import { PolicyResource, StackValidationArgs } from "@pulumi/policy";
import { AccessConfig, describeFinding, evaluateAwsAccess } from "./accessAws";
import { OciFinding, statementProblems } from "./accessOci";
import { list, MANDATORY, MulticloudPolicy, resourcePolicy } from "./framework";

/** The JSON schema of the config the access policies take (the pack refuses config it does not describe). */
export const ACCESS_CONFIG_SCHEMA = {
  properties: {
    calls: { type: "array", items: { type: "object" } },
    exempt: { type: "array", items: { type: "object" } },
  },
} as const;

const configOf = (args: StackValidationArgs): AccessConfig => {
  const config = args.getConfig<Partial<AccessConfig>>();
  return { calls: config.calls ?? [], exempt: config.exempt ?? [] };
};

const AWS_REMEDIATION =
  "Add the missing statement the message names (usually the caller's kms:* grant on the target's key, or a resource-policy statement for a service principal), or stop declaring a call the code does not make";
const OCI_REMEDIATION =
  "Add or correct the statement for the caller the message names: a verb that includes the operation's permission, the target's compartment, and conditions the request satisfies";
const DECIDABLE_REMEDIATION =
  "Expected in the first preview of new resources; run the preview again after `up`, or check the offline plan, where every value is known";

/** One line per OCI finding, naming caller, operation, target and the reason. */
const describeOciFinding = (f: OciFinding) => `${f.by} (${f.caller}) → ${f.operation} on ${f.target}: ${f.detail}`;

// One evaluation per stack view, shared by the policies that report on it.
const evaluations = new WeakMap<readonly PolicyResource[], ReturnType<typeof evaluateAwsAccess>>();
function evaluationOf(args: StackValidationArgs) {
  let found = evaluations.get(args.resources);
  if (!found) {
    found = evaluateAwsAccess(args.resources, configOf(args));
    evaluations.set(args.resources, found);
  }
  return found;
}

export const accessPolicies: readonly MulticloudPolicy[] = [
  resourcePolicy(
    {
      name: "oci-policy-statements-documented",
      description:
        "Each OCI policy statement parses in OCI's grammar, names a documented resource type, and uses only where-variables OCI documents for that type (an inapplicable variable grants nothing, silently)",
      cloud: "oci",
      ...MANDATORY,
      remediation:
        "Use a variable the service documents (policy/accessOci.ts lists them with sources), or scope by compartment, request.permission or a defined tag",
    },
    ["oci:Identity/policy:Policy"],
    (props) => list(props.statements).flatMap((s) => (typeof s === "string" ? statementProblems(s) : [])),
  ),
  {
    name: "aws-runtime-calls-permitted",
    description:
      "Every declared AWS runtime call, and each KMS call it implies, is allowed by the caller's identity policies, the target's resource policy, the VPC endpoint policy on the path and the key policy together",
    cloud: "aws",
    ...MANDATORY,
    remediation: AWS_REMEDIATION,
    remediationSteps: AWS_REMEDIATION,
    configSchema: ACCESS_CONFIG_SCHEMA,
    validateStack: (args, reportViolation) => {
      const { stack, findings } = evaluationOf(args);
      for (const f of findings.filter((x) => x.verdict === "denied"))
        reportViolation(describeFinding(stack, f), "role" in f.call.caller ? f.call.caller.role : undefined);
    },
  },
  {
    name: "oci-runtime-calls-permitted",
    description:
      "Every declared OCI runtime call is granted by a policy statement whose subject, verb (or permission list), resource type, location and where-conditions all admit it",
    cloud: "oci",
    ...MANDATORY,
    remediation: OCI_REMEDIATION,
    remediationSteps: OCI_REMEDIATION,
    configSchema: ACCESS_CONFIG_SCHEMA,
    validateStack: (args, reportViolation) => {
      for (const f of evaluationOf(args).oci.filter((x) => x.verdict === "denied"))
        reportViolation(describeOciFinding(f));
    },
  },
  {
    name: "runtime-calls-decidable",
    description:
      "Reports each declared runtime call that cannot be decided yet (an ARN or document unknown until the resource exists): it is neither passed nor failed",
    cloud: "both",
    enforcementLevel: "advisory",
    remediation: DECIDABLE_REMEDIATION,
    remediationSteps: DECIDABLE_REMEDIATION,
    configSchema: ACCESS_CONFIG_SCHEMA,
    validateStack: (args, reportViolation) => {
      const { stack, findings } = evaluationOf(args);
      for (const f of findings.filter((x) => x.verdict === "undecidable")) reportViolation(describeFinding(stack, f));
      for (const f of evaluationOf(args).oci.filter((x) => x.verdict === "undecidable"))
        reportViolation(describeOciFinding(f));
    },
  },
];
