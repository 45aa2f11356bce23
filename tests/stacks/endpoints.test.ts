/** Every grant an in-VPC function uses through a VPC endpoint is admitted by that endpoint's policy. */
import { expect } from "chai";
import { GATEWAY_ENDPOINT_SERVICES, INTERFACE_ENDPOINT_SERVICES, admits } from "../../components/network/endpoints";
import { accountIdFor } from "../../offline/engine";
import { named, ofType, runStack } from "../support/stacks";

const ENDPOINT_SERVICES = [...INTERFACE_ENDPOINT_SERVICES, ...GATEWAY_ENDPOINT_SERVICES];

for (const stack of ["dev", "prod"] as const) {
  describe(`VPC endpoints (${stack})`, () => {
    it("are the network's, one policy each, and admit every grant of every in-VPC function that goes through them", async () => {
      const run = await runStack(stack);
      if (run.error) throw run.error;
      const policyOf = (service: string) => {
        const endpoint = named(run, "aws:ec2/vpcEndpoint:VpcEndpoint", `aws-network-${service}`);
        const policies = ofType(run, "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy").filter(
          (p) => p.inputs.vpcEndpointId === endpoint.id,
        );
        expect(policies, service).to.have.length(1);
        return String(policies[0].inputs.policy);
      };
      const checked: string[] = [];
      for (const fn of ofType(run, "aws:lambda/function:Function").filter((f) => f.inputs.vpcConfig)) {
        const role = run.resources.find((r) => r.type === "aws:iam/role:Role" && r.state.arn === fn.inputs.role);
        const documents = ofType(run, "aws:iam/rolePolicy:RolePolicy").filter(
          (p) => p.inputs.role === role?.id || p.inputs.role === role?.state.name,
        );
        expect(documents, fn.name).to.have.length.greaterThan(0);
        for (const doc of documents) {
          for (const statement of (
            JSON.parse(String(doc.inputs.policy)) as { Statement: Array<{ Action: string[]; Resource: string[] }> }
          ).Statement) {
            for (const action of statement.Action) {
              const service = ENDPOINT_SERVICES.find((s) => action.startsWith(`${s}:`));
              // A function's log grants are used by the Lambda service delivering its logs, outside the VPC.
              if (!service || service === "logs") continue;
              for (const resource of statement.Resource) {
                expect(
                  admits(policyOf(service), action, resource, accountIdFor(stack)),
                  `${fn.name}: ${action} on ${resource}`,
                ).to.equal(true);
                checked.push(`${fn.name}: ${action}`);
              }
            }
          }
        }
      }
      // The migration function reads the three secrets it sets or uses; the rotation function rotates the services'
      // secret and reads ADMIN's; the batch export writes its bucket through the S3 gateway; the load reads its secret.
      // Prod's Lakehouse: its migration function reads its ADMIN's and its loader's secrets; its load reads the loader's.
      const lakehouse =
        stack === "prod"
          ? [
              "lakehouse-migrations-handler-function: secretsmanager:GetSecretValue",
              "lakehouse-migrations-handler-function: secretsmanager:GetSecretValue",
            ]
          : [];
      expect(checked.sort()).to.deep.equal([
        // The Grafana provisioning function: its tokens through Grafana's API endpoint, its OCI key through Secrets Manager.
        "grafana-provision-function: grafana:CreateWorkspaceServiceAccountToken",
        "grafana-provision-function: grafana:DeleteWorkspaceServiceAccountToken",
        "grafana-provision-function: secretsmanager:GetSecretValue",
        ...lakehouse,
        "migrations-handler-function: secretsmanager:GetSecretValue",
        "migrations-handler-function: secretsmanager:GetSecretValue",
        "migrations-handler-function: secretsmanager:GetSecretValue",
        "migrations-handler-function: secretsmanager:GetSecretValue",
        "orders-batch-export-function: s3:PutObject",
        ...(stack === "prod" ? ["orders-batch-lakehouse-function: secretsmanager:GetSecretValue"] : []),
        "orders-batch-load-function: secretsmanager:GetSecretValue",
        "service-secret-rotation-handler-function: secretsmanager:DescribeSecret",
        "service-secret-rotation-handler-function: secretsmanager:GetSecretValue",
        "service-secret-rotation-handler-function: secretsmanager:GetSecretValue",
        "service-secret-rotation-handler-function: secretsmanager:PutSecretValue",
        "service-secret-rotation-handler-function: secretsmanager:UpdateSecretVersionStage",
      ]);
      // Nothing is admitted through the interface endpoint beyond those secrets (the order pods' is the services' again;
      // prod adds the Lakehouse's two; Grafana's OCI key is one more).
      const statements = (JSON.parse(policyOf("secretsmanager")) as { Statement: Array<{ Resource: string[] }> })
        .Statement;
      expect(new Set(statements.flatMap((s) => s.Resource)).size).to.equal(stack === "prod" ? 7 : 5);
    });
  });
}
