/** The batch path's state machine as data: valid ASL, every task retried and caught, the Lakehouse step only when given. */
import validator from "asl-validator";
import { expect } from "chai";
import { batchWorkflowDefinition, LAMBDA_TRANSIENT_ERRORS } from "../../components/sync/batchWorkflow";

const fn = (name: string) => `arn:aws:lambda:eu-west-1:111122223333:function:multicloud-dev-${name}`;
const targets = { exportFunctionArn: fn("export"), copyFunctionArn: fn("copy"), loadFunctionArn: fn("load"), alarmTopicArn: "arn:aws:sns:eu-west-1:111122223333:multicloud-dev-alarms" };
type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };

describe("batch sync state machine (pure)", () => {
  for (const [env, definition] of [
    ["dev", batchWorkflowDefinition(targets)],
    ["prod", batchWorkflowDefinition({ ...targets, lakehouseFunctionArn: fn("lakehouse") })],
  ] as const) {
    it(`is valid Amazon States Language (${env})`, () => {
      const result = validator(definition);
      expect(result.errors, JSON.stringify(result.errors)).to.deep.equal([]);
      expect(result.isValid).to.equal(true);
    });

    it(`retries every task (Lambda's transient errors fast, failures slowly) and catches everything into the notification (${env})`, () => {
      const states = (definition as unknown as Definition).States;
      const tasks = Object.entries(states).filter(([name, s]) => s.Type === "Task" && name !== "NotifyFailure");
      expect(tasks.length).to.equal(env === "prod" ? 4 : 3);
      for (const [name, s] of tasks) {
        const retry = s.Retry as Array<{ ErrorEquals: string[]; MaxAttempts: number }>;
        expect(retry.map((r) => r.ErrorEquals), name).to.deep.equal([[...LAMBDA_TRANSIENT_ERRORS], ["States.TaskFailed"]]);
        expect(s.Catch, name).to.deep.equal([{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyFailure" }]);
      }
      expect(states.NotifyFailure).to.deep.include({ Resource: "arn:aws:states:::sns:publish", Next: "Failed" });
      expect((states.NotifyFailure.Parameters as Record<string, string>).TopicArn).to.equal(targets.alarmTopicArn);
      expect(states.Failed.Type).to.equal("Fail");
    });

    it(`runs export → copy → load${env === "prod" ? " → lakehouse" : ""} → report (${env})`, () => {
      const states = (definition as unknown as Definition).States;
      const path: string[] = [];
      for (let at: string | undefined = (definition as unknown as Definition).StartAt; at; at = states[at].Next as string | undefined) path.push(at);
      expect(path).to.deep.equal(env === "prod" ? ["Export", "Copy", "Load", "Lakehouse", "Report"] : ["Export", "Copy", "Load", "Report"]);
      expect(states.Report.End).to.equal(true);
    });
  }
});
