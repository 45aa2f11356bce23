/**
 * The batch path's Step Functions definition (Amazon States Language), built as data: export the
 * day's changed orders (S3) → copy them to OCI Object Storage → load them with DBMS_CLOUD and the
 * set-based merge → in prod, the same day into the Lakehouse → a report as the execution's output.
 * Every task retries with backoff (Lambda's transient errors quickly, task failures slowly) and
 * catches into one failure state that notifies the alarm topic. The input names the day —
 * `{"date": "YYYY-MM-DD"}` for a re-run, or the schedule's `{"scheduledTime": …}` (the day before)
 * — and the export resolves it; every task is idempotent per day, so a re-run changes nothing.
 * Pure: tests validate it with asl-validator and run it on a local interpreter.
 */

export interface BatchWorkflowTargets {
  readonly exportFunctionArn: string;
  readonly copyFunctionArn: string;
  readonly loadFunctionArn: string;
  /** Prod only: the Lakehouse load of the same day. */
  readonly lakehouseFunctionArn?: string;
  readonly alarmTopicArn: string;
}

/** Lambda's transient errors: retried fast. */
export const LAMBDA_TRANSIENT_ERRORS = [
  "Lambda.ServiceException",
  "Lambda.AWSLambdaException",
  "Lambda.SdkClientException",
  "Lambda.TooManyRequestsException",
] as const;

type State = Record<string, unknown>;

function task(functionArn: string, next: string, resultPath: string): State {
  return {
    Type: "Task",
    Resource: "arn:aws:states:::lambda:invoke",
    Parameters: { FunctionName: functionArn, "Payload.$": "$" },
    ResultSelector: { "result.$": "$.Payload" },
    ResultPath: resultPath,
    Retry: [
      {
        ErrorEquals: [...LAMBDA_TRANSIENT_ERRORS],
        IntervalSeconds: 2,
        MaxAttempts: 6,
        BackoffRate: 2,
        JitterStrategy: "FULL",
      },
      // A failed step (the database or a bucket unreachable): a few slow tries, then the failure path.
      { ErrorEquals: ["States.TaskFailed"], IntervalSeconds: 60, MaxAttempts: 3, BackoffRate: 2 },
    ],
    Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.error", Next: "NotifyFailure" }],
    Next: next,
  };
}

export function batchWorkflowDefinition(targets: BatchWorkflowTargets): Record<string, unknown> {
  const afterLoad = targets.lakehouseFunctionArn ? "Lakehouse" : "Report";
  const states: Record<string, State> = {
    Export: task(targets.exportFunctionArn, "Day", "$.export"),
    // The day the export resolved, for every later step and the report.
    Day: { Type: "Pass", InputPath: "$.export.result.date", ResultPath: "$.date", Next: "Copy" },
    Copy: task(targets.copyFunctionArn, "Load", "$.copy"),
    Load: task(targets.loadFunctionArn, afterLoad, "$.load"),
    ...(targets.lakehouseFunctionArn ? { Lakehouse: task(targets.lakehouseFunctionArn, "Report", "$.lakehouse") } : {}),
    Report: {
      Type: "Pass",
      Parameters: {
        "date.$": "$.date",
        "exported.$": "$.export.result",
        "copied.$": "$.copy.result",
        "loaded.$": "$.load.result",
      },
      End: true,
    },
    NotifyFailure: {
      Type: "Task",
      Resource: "arn:aws:states:::sns:publish",
      Parameters: {
        TopicArn: targets.alarmTopicArn,
        Subject: "Batch order sync failed",
        // The execution's input, not $.date: an export that failed resolved no day.
        "Message.$":
          "States.Format('The batch order sync for {} failed: {} ({}). Re-run the day (input date YYYY-MM-DD): it is idempotent.', States.JsonToString($$.Execution.Input), $.error.Error, $.error.Cause)",
      },
      ResultPath: null,
      Next: "Failed",
    },
    Failed: {
      Type: "Fail",
      Error: "BatchSyncFailed",
      Cause: "a step failed after its retries; the alarm topic has the details",
    },
  };
  return {
    Comment:
      'Batch order sync AWS → OCI for one day (input {"date": "YYYY-MM-DD"} or the schedule\'s {"scheduledTime": …})',
    StartAt: "Export",
    States: states,
  };
}
