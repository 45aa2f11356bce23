/**
 * The batch path's state machine as data: valid ASL, every task retried and caught, the Lakehouse
 * step only when given; and run on a local interpreter through success, retry then success, and
 * catch to the failure notification.
 */
import validator from "asl-validator";
import { StateMachine } from "aws-local-stepfunctions";
import { expect } from "chai";
import { batchWorkflowDefinition, LAMBDA_TRANSIENT_ERRORS } from "../../components/sync/batchWorkflow";

const fn = (name: string) => `arn:aws:lambda:eu-west-1:111122223333:function:multicloud-dev-${name}`;
const targets = {
  exportFunctionArn: fn("export"),
  copyFunctionArn: fn("copy"),
  loadFunctionArn: fn("load"),
  alarmTopicArn: "arn:aws:sns:eu-west-1:111122223333:multicloud-dev-alarms",
};
type Definition = { StartAt: string; States: Record<string, Record<string, unknown>> };
type JSONValue = Parameters<StateMachine["run"]>[0];

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
        expect(
          retry.map((r) => r.ErrorEquals),
          name,
        ).to.deep.equal([[...LAMBDA_TRANSIENT_ERRORS], ["States.TaskFailed"]]);
        expect(s.Catch, name).to.deep.equal([
          { ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyFailure" },
        ]);
      }
      expect(states.NotifyFailure).to.deep.include({ Resource: "arn:aws:states:::sns:publish", Next: "Failed" });
      expect((states.NotifyFailure.Parameters as Record<string, string>).TopicArn).to.equal(targets.alarmTopicArn);
      expect(states.Failed.Type).to.equal("Fail");
    });

    it(`runs export → copy → load${env === "prod" ? " → lakehouse" : ""} → report (${env})`, () => {
      const states = (definition as unknown as Definition).States;
      const path: string[] = [];
      for (
        let at: string | undefined = (definition as unknown as Definition).StartAt;
        at;
        at = states[at].Next as string | undefined
      )
        path.push(at);
      expect(path).to.deep.equal(
        env === "prod"
          ? ["Export", "Day", "Copy", "Load", "Lakehouse", "Report"]
          : ["Export", "Day", "Copy", "Load", "Report"],
      );
      expect(states.Report.End).to.equal(true);
    });
  }
});

// Node 20 lacks Promise.withResolvers (ES2024), which aws-local-stepfunctions 3 uses (it asks for Node 22).
if (!("withResolvers" in Promise)) {
  Object.assign(Promise, {
    withResolvers<T>() {
      let resolve!: (value: T) => void;
      let reject!: (reason: unknown) => void;
      const promise = new Promise<T>((yes, no) => {
        resolve = yes;
        reject = no;
      });
      return { promise, resolve, reject };
    },
  });
}

describe("batch sync state machine on a local ASL interpreter (aws-local-stepfunctions, task Lambdas stubbed)", () => {
  type Handler = (input: JSONValue) => Promise<JSONValue>;
  /** What lambda:invoke returns: the function's result under Payload. */
  const invoked = (payload: JSONValue) => ({ Payload: payload });
  const taskFailed = (message: string) => Object.assign(new Error(message), { name: "States.TaskFailed" });

  async function run(definition: object, input: JSONValue, handlers: Record<string, Handler>) {
    const calls: Array<[string, JSONValue]> = [];
    const recording = Object.fromEntries(
      Object.entries(handlers).map(([state, handler]) => [
        state,
        async (stateInput: JSONValue) => {
          calls.push([state, stateInput]);
          return handler(stateInput);
        },
      ]),
    );
    const machine = new StateMachine(definition as never);
    const execution = machine.run(input, {
      overrides: {
        taskResourceLocalHandlers: recording,
        retryIntervalOverrides: { Export: 0, Copy: 0, Load: 0, Lakehouse: 0 },
      },
    });
    try {
      return { output: await execution.result, calls };
    } catch (err) {
      return { error: err as Error, calls };
    }
  }

  const exported = {
    date: "2026-11-29",
    key: "orders/date=2026-11-29/orders.csv",
    events: 3,
    refused: {},
    bytes: 300,
    sha256: "a".repeat(64),
  };
  const steps = (calls: Array<[string, JSONValue]>) => calls.map(([state]) => state);

  it("succeeds through every step, resolving the day from the schedule's time, and reports it", async () => {
    const { output, calls } = await run(
      batchWorkflowDefinition(targets),
      { scheduledTime: "2026-11-30T01:30:00Z" },
      {
        Export: async () => invoked(exported),
        Copy: async () => invoked({ key: exported.key, bytes: 300, sha256: exported.sha256 }),
        Load: async () => invoked({ date: "2026-11-29", loadId: "batch:2026-11-29", merged: 3, conflicts: 0 }),
      },
    );
    expect(steps(calls)).to.deep.equal(["Export", "Copy", "Load"]);
    // Every step after the export is invoked with the day and the export's result.
    expect(calls[1][1]).to.deep.equal({
      FunctionName: targets.copyFunctionArn,
      Payload: { scheduledTime: "2026-11-30T01:30:00Z", export: { result: exported }, date: "2026-11-29" },
    });
    expect((calls[2][1] as { Payload: object }).Payload).to.deep.include({ date: "2026-11-29" });
    expect(output).to.deep.equal({
      date: "2026-11-29",
      exported,
      copied: { key: exported.key, bytes: 300, sha256: exported.sha256 },
      loaded: { date: "2026-11-29", loadId: "batch:2026-11-29", merged: 3, conflicts: 0 },
    });
  });

  it("retries a failed step and goes on when it then succeeds (prod, through the Lakehouse step)", async () => {
    let copies = 0;
    const { output, calls } = await run(
      batchWorkflowDefinition({ ...targets, lakehouseFunctionArn: fn("lakehouse") }),
      { date: "2026-11-29" },
      {
        Export: async () => invoked(exported),
        Copy: async () => {
          if (++copies < 3) throw taskFailed("the OCI bucket did not answer");
          return invoked({ key: exported.key, bytes: 300, sha256: exported.sha256 });
        },
        Load: async () => invoked({ merged: 3 }),
        Lakehouse: async () => invoked({ merged: 3 }),
      },
    );
    expect(steps(calls)).to.deep.equal(["Export", "Copy", "Copy", "Copy", "Load", "Lakehouse"]);
    expect(output).to.deep.include({ date: "2026-11-29" });
  });

  it("catches a step that keeps failing: notifies the alarm topic with the input and the cause, then fails", async () => {
    const { error, calls } = await run(
      batchWorkflowDefinition(targets),
      { date: "2026-11-29" },
      {
        Export: async () => invoked(exported),
        Copy: async () => invoked({}),
        Load: async () => {
          throw taskFailed("ORA-12170: connect timeout");
        },
        NotifyFailure: async () => ({ MessageId: "m-1" }),
      },
    );
    // One try and three retries of the failing step, then the notification.
    expect(steps(calls)).to.deep.equal(["Export", "Copy", "Load", "Load", "Load", "Load", "NotifyFailure"]);
    expect(calls[6][1]).to.deep.equal({
      TopicArn: targets.alarmTopicArn,
      Subject: "Batch order sync failed",
      Message:
        'The batch order sync for {"date":"2026-11-29"} failed: States.TaskFailed (ORA-12170: connect timeout). Re-run the day (input date YYYY-MM-DD): it is idempotent.',
    });
    expect(error?.message).to.contain("a step failed after its retries");
  });

  it("notifies with the schedule's input when the export itself fails (no day resolved yet)", async () => {
    const { calls } = await run(
      batchWorkflowDefinition(targets),
      { scheduledTime: "2026-11-30T01:30:00Z" },
      {
        Export: async () => {
          throw taskFailed("MSK unreachable");
        },
        NotifyFailure: async () => ({ MessageId: "m-2" }),
      },
    );
    expect(steps(calls)).to.deep.equal(["Export", "Export", "Export", "Export", "NotifyFailure"]);
    expect((calls[4][1] as { Message: string }).Message).to.contain(
      '{"scheduledTime":"2026-11-30T01:30:00Z"} failed: States.TaskFailed (MSK unreachable)',
    );
  });
});
