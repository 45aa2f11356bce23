/**
 * The CrossGuard pack entry: `pulumi preview --policy-pack policy`. Constructing a PolicyPack
 * starts the analyzer server, so tests and the offline plan import ./policies instead.
 */
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("multicloud", { policies: [...policies] });
