import { ResolvedEnvironment } from "../components/config/resolve";
import { AlarmTopic, AlarmTopicOutputs } from "../components/ops/alarmTopic";
import { PlatformContext } from "../components/shared/context";

export interface OpsArea {
  readonly alarms: AlarmTopicOutputs;
}

/** Where the stack's alarms go: an encrypted SNS topic e-mailing on-call. */
export function opsArea(context: PlatformContext, platform: ResolvedEnvironment): OpsArea {
  return { alarms: new AlarmTopic("alarms", { emails: platform.aws.alarmEmails, context }).outputs };
}
