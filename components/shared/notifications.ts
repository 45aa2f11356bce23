/** Notification plumbing several areas use (the alarm topic, cost intelligence's report topic). */
import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { createHash } from "node:crypto";

/** An e-mail subscription per address, each named by its address (not its position: removing one must not replace the others). */
export function emailSubscriptions(
  name: string,
  parent: pulumi.Resource,
  topicArn: pulumi.Input<string>,
  emails: readonly string[],
): void {
  for (const email of emails) {
    const id = createHash("sha256").update(email.toLowerCase()).digest("hex").slice(0, 10);
    new aws.sns.TopicSubscription(
      `${name}-email-${id}`,
      { topic: topicArn, protocol: "email", endpoint: email },
      { parent },
    );
  }
}
