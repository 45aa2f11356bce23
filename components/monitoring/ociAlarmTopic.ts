import * as oci from "@pulumi/oci";
import * as pulumi from "@pulumi/pulumi";
import { PlatformContext, platformOptions } from "../shared/context";

export interface OciAlarmTopicArgs {
  /** Who is told: the same on-call addresses as the AWS alarm topic (multicloud:aws.alarmEmails). */
  readonly emails: readonly string[];
  readonly context: PlatformContext;
}

export interface OciAlarmTopicOutputs {
  /** Where every OCI Monitoring alarm of the stack notifies. */
  readonly topicId: pulumi.Output<string>;
}

/** The OCI side of the stack's alarm channel: a Notifications topic e-mailing the same on-call addresses as the AWS one. */
export class OciAlarmTopic extends pulumi.ComponentResource {
  readonly outputs: OciAlarmTopicOutputs;

  constructor(name: string, args: OciAlarmTopicArgs, opts?: pulumi.ComponentResourceOptions) {
    super("multicloud:monitoring:OciAlarmTopic", name, {}, platformOptions(args.context, opts));
    const { context } = args;
    const topic = new oci.ons.NotificationTopic(
      `${name}-topic`,
      {
        compartmentId: context.compartmentId,
        name: `${context.namePrefix}-ops-alarms`,
        description: `${context.namePrefix}: OCI Monitoring alarms for on-call`,
        freeformTags: { ...context.ociFreeformTags },
      },
      { parent: this },
    );
    args.emails.forEach(
      (email, i) =>
        new oci.ons.Subscription(
          `${name}-email-${i}`,
          {
            compartmentId: context.compartmentId,
            topicId: topic.id,
            protocol: "EMAIL",
            endpoint: email,
            freeformTags: { ...context.ociFreeformTags },
          },
          { parent: this },
        ),
    );
    this.outputs = { topicId: topic.id };
    this.registerOutputs({ topicId: topic.id });
  }
}
