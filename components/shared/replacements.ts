/**
 * What replaces a resource instead of updating it, per type the program creates: the inputs (of
 * those the program sets) whose change makes the provider delete and create it, and the input that
 * names it uniquely in its cloud scope, where the program sets one (a replacement that creates the
 * new one first would collide with the old one's name).
 *
 * From the providers' documentation (Pulumi registry page per type, `replacementDocs`, which
 * carries the Terraform schemas' "forces new resource" / OCI's "(Updatable)" markings). `plan:diff`
 * reads the table to mark each change as an update or a replacement; the program reads
 * `uniqueName` to ask for delete-before-replace (`withDeleteBeforeReplace`). A type missing here is
 * `replace: unknown` in `plan:diff`, and a stack test fails when a plan has such a type.
 */
export interface ReplacementRow {
  /** Input paths (dot-separated, as the program sets them) whose change replaces the resource. */
  readonly replaces: readonly string[];
  /** The input that is the resource's unique name in its scope, when it has one. */
  readonly uniqueName?: string;
  /** Why, where the row needs a word (a scope, an exception, a version caveat). */
  readonly note?: string;
}

const row = (replaces: readonly string[], uniqueName?: string, note?: string): ReplacementRow => ({
  replaces,
  ...(uniqueName ? { uniqueName } : {}),
  ...(note ? { note } : {}),
});
/** The bucket's own sub-resources: one per bucket, replaced when the bucket changes. */
const perBucket = row(["bucket"]);
/** Kubernetes objects: a new name or namespace is a new object; the provider deletes before it replaces a named one. */
const k8s = (...immutable: string[]) =>
  row(["metadata.name", "metadata.namespace", ...immutable], "metadata.name", "unique per namespace");

export const REPLACEMENTS: Readonly<Record<string, ReplacementRow>> = {
  "aws:amp/scraper:Scraper": row(["source"], undefined, "the EKS cluster it scrapes"),
  "aws:amp/workspace:Workspace": row(["kmsKeyArn"]),
  "aws:apigatewayv2/api:Api": row(["protocolType"]),
  "aws:apigatewayv2/integration:Integration": row(["apiId", "integrationType"]),
  "aws:apigatewayv2/route:Route": row(["apiId"]),
  "aws:apigatewayv2/stage:Stage": row(["apiId", "name"], "name", "unique per API"),
  "aws:appautoscaling/policy:Policy": row(["resourceId", "scalableDimension", "serviceNamespace"]),
  "aws:appautoscaling/target:Target": row(["resourceId", "scalableDimension", "serviceNamespace"]),
  "aws:autoscaling/schedule:Schedule": row(
    ["autoscalingGroupName", "scheduledActionName"],
    "scheduledActionName",
    "unique per group",
  ),
  "aws:budgets/budget:Budget": row(["name"], "name", "unique per account"),
  "aws:cloudwatch/logGroup:LogGroup": row(["name"], "name", "unique per account and region"),
  "aws:cloudwatch/logMetricFilter:LogMetricFilter": row(
    ["logGroupName", "name"],
    undefined,
    "auto-named; the name is unique per log group",
  ),
  "aws:cloudwatch/metricAlarm:MetricAlarm": row([], undefined, "auto-named: the name is never set"),
  "aws:costexplorer/anomalyMonitor:AnomalyMonitor": row(["monitorType", "monitorDimension", "monitorSpecification"]),
  "aws:costexplorer/anomalySubscription:AnomalySubscription": row([]),
  "aws:directconnect/connectionConfirmation:ConnectionConfirmation": row(["connectionId"]),
  "aws:directconnect/gateway:Gateway": row(["amazonSideAsn"]),
  "aws:directconnect/gatewayAssociation:GatewayAssociation": row(["associatedGatewayId", "dxGatewayId"]),
  "aws:directconnect/privateVirtualInterface:PrivateVirtualInterface": row([
    "addressFamily",
    "amazonAddress",
    "bgpAsn",
    "bgpAuthKey",
    "connectionId",
    "customerAddress",
    "dxGatewayId",
    "name",
    "vlan",
  ]),
  "aws:dynamodb/table:Table": row(["name", "hashKey", "rangeKey"], "name", "unique per account and region"),
  "aws:ec2/customerGateway:CustomerGateway": row(
    ["bgpAsn", "deviceName", "ipAddress", "type"],
    undefined,
    "CreateCustomerGateway is idempotent on these: a replacement with the same values is the old one",
  ),
  "aws:ec2/defaultNetworkAcl:DefaultNetworkAcl": row(["defaultNetworkAclId"]),
  "aws:ec2/defaultSecurityGroup:DefaultSecurityGroup": row(["vpcId"]),
  "aws:ec2/eip:Eip": row(["domain"]),
  "aws:ec2/flowLog:FlowLog": row([
    "iamRoleArn",
    "logDestination",
    "logDestinationType",
    "maxAggregationInterval",
    "trafficType",
    "vpcId",
  ]),
  "aws:ec2/internetGateway:InternetGateway": row([]),
  "aws:ec2/launchTemplate:LaunchTemplate": row([], undefined, "a change is a new version"),
  "aws:ec2/managedPrefixList:ManagedPrefixList": row(["addressFamily"]),
  "aws:ec2/natGateway:NatGateway": row(["allocationId", "subnetId"]),
  "aws:ec2/networkAcl:NetworkAcl": row(["vpcId"]),
  "aws:ec2/route:Route": row(["routeTableId", "destinationCidrBlock"]),
  "aws:ec2/routeTable:RouteTable": row(["vpcId"]),
  "aws:ec2/routeTableAssociation:RouteTableAssociation": row(["subnetId"]),
  "aws:ec2/securityGroup:SecurityGroup": row(["description", "vpcId"]),
  "aws:ec2/subnet:Subnet": row(["availabilityZone", "cidrBlock", "vpcId"]),
  "aws:ec2/vpc:Vpc": row(["cidrBlock"]),
  "aws:ec2/vpcEndpoint:VpcEndpoint": row(["serviceName", "vpcEndpointType", "vpcId"]),
  "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy": row(["vpcEndpointId"]),
  "aws:ec2/vpnConnection:VpnConnection": row(
    [
      "staticRoutesOnly",
      "type",
      "tunnel1InsideCidr",
      "tunnel2InsideCidr",
      "tunnel1PresharedKey",
      "tunnel2PresharedKey",
    ],
    undefined,
    "customerGatewayId is changed in place by the swap (and ignored by the resource)",
  ),
  "aws:ec2/vpnGateway:VpnGateway": row(["amazonSideAsn"]),
  "aws:ec2/vpnGatewayRoutePropagation:VpnGatewayRoutePropagation": row(["routeTableId", "vpnGatewayId"]),
  "aws:ecr/lifecyclePolicy:LifecyclePolicy": row(["repository"]),
  "aws:ecr/repository:Repository": row(["name", "encryptionConfigurations"], "name", "unique per account and region"),
  "aws:eks/accessEntry:AccessEntry": row(
    ["clusterName", "principalArn", "type"],
    "principalArn",
    "one entry per principal and cluster",
  ),
  "aws:eks/accessPolicyAssociation:AccessPolicyAssociation": row([
    "clusterName",
    "policyArn",
    "principalArn",
    "accessScope",
  ]),
  "aws:eks/addon:Addon": row(["addonName", "clusterName"], "addonName", "one per cluster"),
  "aws:eks/cluster:Cluster": row(
    [
      "name",
      "roleArn",
      "bootstrapSelfManagedAddons",
      "encryptionConfig",
      "vpcConfig.subnetIds",
      "accessConfig.bootstrapClusterCreatorAdminPermissions",
    ],
    "name",
    "unique per account and region",
  ),
  "aws:eks/nodeGroup:NodeGroup": row([
    "amiType",
    "capacityType",
    "clusterName",
    "instanceTypes",
    "nodeRoleArn",
    "subnetIds",
  ]),
  "aws:eks/podIdentityAssociation:PodIdentityAssociation": row(
    ["clusterName", "namespace", "serviceAccount"],
    "serviceAccount",
    "one association per namespace and service account",
  ),
  "aws:grafana/workspace:Workspace": row([]),
  "aws:grafana/workspaceSamlConfiguration:WorkspaceSamlConfiguration": row(["workspaceId"]),
  "aws:grafana/workspaceServiceAccount:WorkspaceServiceAccount": row(
    ["grafanaRole", "name", "workspaceId"],
    "name",
    "unique per workspace",
  ),
  "aws:iam/role:Role": row(["name"], "name", "unique per account"),
  "aws:iam/rolePolicy:RolePolicy": row(["role", "name"]),
  "aws:iam/rolePolicyAttachment:RolePolicyAttachment": row(["policyArn", "role"]),
  "aws:iam/samlProvider:SamlProvider": row(["name"], "name", "unique per account"),
  "aws:kinesis/stream:Stream": row(["name"], "name", "unique per account and region"),
  "aws:kms/key:Key": row([]),
  "aws:lambda/eventSourceMapping:EventSourceMapping": row(["eventSourceArn", "startingPosition"]),
  "aws:lambda/function:Function": row(["name"], "name", "unique per account and region"),
  "aws:lambda/invocation:Invocation": row(
    ["functionName", "input", "triggers"],
    undefined,
    "a replacement invokes again",
  ),
  "aws:lambda/permission:Permission": row(["action", "function", "principal", "sourceAccount", "sourceArn"]),
  "aws:msk/cluster:Cluster": row(
    [
      "clusterName",
      "brokerNodeGroupInfo.clientSubnets",
      "brokerNodeGroupInfo.securityGroups",
      "encryptionInfo.encryptionAtRestKmsKeyArn",
      "encryptionInfo.encryptionInTransit.inCluster",
    ],
    "clusterName",
    "unique per account and region",
  ),
  "aws:msk/configuration:Configuration": row(["name", "kafkaVersions"], "name", "unique per account and region"),
  "aws:msk/topic:Topic": row(["clusterArn", "name", "replicationFactor"], "name", "unique per cluster"),
  "aws:route53/record:Record": row(["zoneId", "name", "type"], "name", "one record set per name and type in a zone"),
  "aws:route53/zone:Zone": row(["name"]),
  "aws:s3/bucket:Bucket": row(["bucket"], "bucket", "globally unique"),
  "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration": perBucket,
  "aws:s3/bucketOwnershipControls:BucketOwnershipControls": perBucket,
  "aws:s3/bucketPolicy:BucketPolicy": perBucket,
  "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock": perBucket,
  "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration": perBucket,
  "aws:s3/bucketVersioning:BucketVersioning": perBucket,
  "aws:sagemaker/endpoint:Endpoint": row(["name"], "name", "unique per account and region"),
  "aws:sagemaker/endpointConfiguration:EndpointConfiguration": row(
    ["kmsKeyArn", "productionVariants"],
    undefined,
    "immutable: every change is a new configuration",
  ),
  "aws:sagemaker/model:Model": row(
    ["enableNetworkIsolation", "executionRoleArn", "primaryContainer"],
    undefined,
    "immutable",
  ),
  "aws:scheduler/schedule:Schedule": row(["name"], "name", "unique per schedule group"),
  "aws:secretsmanager/secret:Secret": row(
    ["name"],
    "name",
    "unique per account and region, and reserved for the recovery window after deletion",
  ),
  "aws:secretsmanager/secretRotation:SecretRotation": row(["secretId"]),
  "aws:secretsmanager/secretVersion:SecretVersion": row(
    ["secretId", "secretString"],
    undefined,
    "a new value is a new version",
  ),
  "aws:sfn/stateMachine:StateMachine": row(["name", "type"], "name", "unique per account and region"),
  "aws:sns/topic:Topic": row(["name"], "name", "unique per account and region"),
  "aws:sns/topicPolicy:TopicPolicy": row(["arn"]),
  "aws:sns/topicSubscription:TopicSubscription": row(["endpoint", "protocol", "topic"]),
  "aws:sqs/queue:Queue": row(["name"], "name", "unique per account and region; reusable 60 s after deletion"),
  "aws:vpc/securityGroupEgressRule:SecurityGroupEgressRule": row(["securityGroupId"]),
  "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule": row(["securityGroupId"]),
  "awsx:ecr:Image": row([], undefined, "a component: a changed context pushes a new image (its digest changes)"),
  "docker-build:index:Image": row([], undefined, "a change rebuilds and pushes in place"),
  "kubernetes:apps/v1:Deployment": k8s("spec.selector"),
  "kubernetes:autoscaling/v2:HorizontalPodAutoscaler": k8s(),
  "kubernetes:core/v1:ConfigMap": k8s(),
  "kubernetes:core/v1:Namespace": k8s(),
  "kubernetes:core/v1:Service": k8s("spec.clusterIP"),
  "kubernetes:core/v1:ServiceAccount": k8s(),
  "kubernetes:helm.sh/v3:Release": row(["name", "namespace"], "name", "unique per namespace"),
  "kubernetes:networking.k8s.io/v1:NetworkPolicy": k8s(),
  "kubernetes:policy/v1:PodDisruptionBudget": k8s(),
  "kubernetes:rbac.authorization.k8s.io/v1:Role": k8s(),
  "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding": k8s("roleRef"),
  "oci:ApiGateway/deployment:Deployment": row(["gatewayId", "pathPrefix"]),
  "oci:ApiGateway/gateway:Gateway": row(["endpointType", "subnetId"]),
  "oci:Artifacts/containerRepository:ContainerRepository": row(
    ["displayName"],
    "displayName",
    "unique per compartment (the repository's path)",
  ),
  "oci:Budget/budget:Budget": row(["targetType", "targets"]),
  "oci:Budget/rule:Rule": row(["budgetId"]),
  "oci:Core/cpe:Cpe": row(["ipAddress"]),
  "oci:Core/defaultSecurityList:DefaultSecurityList": row(["manageDefaultResourceId"]),
  "oci:Core/drg:Drg": row([]),
  "oci:Core/drgAttachment:DrgAttachment": row(["drgId", "networkDetails.id", "networkDetails.type"]),
  "oci:Core/drgAttachmentManagement:DrgAttachmentManagement": row([
    "attachmentType",
    "compartmentId",
    "drgId",
    "networkId",
  ]),
  "oci:Core/drgRouteDistribution:DrgRouteDistribution": row(["distributionType", "drgId"]),
  "oci:Core/drgRouteDistributionStatement:DrgRouteDistributionStatement": row(["drgRouteDistributionId"]),
  "oci:Core/drgRouteTable:DrgRouteTable": row(["drgId"]),
  "oci:Core/ipsec:Ipsec": row(["cpeId", "drgId"]),
  "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement": row(["ipsecId", "tunnelId"]),
  "oci:Core/natGateway:NatGateway": row(["vcnId"]),
  "oci:Core/networkSecurityGroup:NetworkSecurityGroup": row(["vcnId"]),
  "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule": row([
    "networkSecurityGroupId",
    "direction",
    "protocol",
  ]),
  "oci:Core/routeTable:RouteTable": row(["vcnId"]),
  "oci:Core/securityList:SecurityList": row(["vcnId"]),
  "oci:Core/serviceGateway:ServiceGateway": row(["vcnId"]),
  "oci:Core/subnet:Subnet": row(["dnsLabel", "vcnId", "prohibitPublicIpOnVnic", "availabilityDomain"]),
  "oci:Core/vcn:Vcn": row(["dnsLabel"], undefined, "cidrBlocks are added and removed in place"),
  "oci:Core/virtualCircuit:VirtualCircuit": row(["type", "providerServiceId"]),
  "oci:Database/autonomousDatabase:AutonomousDatabase": row(["dbName"], undefined, "the rest is updated in place"),
  "oci:Functions/application:Application": row(
    ["shape", "subnetIds", "displayName"],
    "displayName",
    "unique per compartment",
  ),
  "oci:Functions/function:Function": row(["applicationId", "displayName"], "displayName", "unique per application"),
  "oci:Identity/apiKey:ApiKey": row(["keyValue", "userId"]),
  "oci:Identity/authToken:AuthToken": row(["userId"]),
  "oci:Identity/customerSecretKey:CustomerSecretKey": row(["userId"]),
  "oci:Identity/domainsGroup:DomainsGroup": row(["idcsEndpoint", "schemas"]),
  "oci:Identity/domainsIdentityProvider:DomainsIdentityProvider": row(["idcsEndpoint", "schemas", "type"]),
  "oci:Identity/dynamicGroup:DynamicGroup": row(["compartmentId", "name"], "name", "unique per tenancy"),
  "oci:Identity/group:Group": row(["compartmentId", "name"], "name", "unique per tenancy"),
  "oci:Identity/policy:Policy": row(["compartmentId", "name"], "name", "unique per compartment"),
  "oci:Identity/tag:Tag": row(["name", "tagNamespaceId"], "name", "unique per namespace; retired, not deleted"),
  "oci:Identity/tagDefault:TagDefault": row(["compartmentId", "tagDefinitionId"]),
  "oci:Identity/tagNamespace:TagNamespace": row(
    ["compartmentId", "name"],
    "name",
    "unique per tenancy; retired, not deleted",
  ),
  "oci:Identity/user:User": row(["compartmentId", "name"], "name", "unique per tenancy"),
  "oci:Identity/userCapabilitiesManagement:UserCapabilitiesManagement": row(["userId"]),
  "oci:Identity/userGroupMembership:UserGroupMembership": row(["compartmentId", "groupId", "userId"]),
  "oci:Kms/key:Key": row(["keyShape", "managementEndpoint", "protectionMode"]),
  "oci:Kms/vault:Vault": row(["vaultType"]),
  "oci:Logging/log:Log": row(["logType", "configuration.source"], "displayName", "unique per log group"),
  "oci:Logging/logGroup:LogGroup": row([], "displayName", "unique per compartment"),
  "oci:Monitoring/alarm:Alarm": row([]),
  "oci:ObjectStorage/bucket:Bucket": row(
    ["namespace", "storageTier"],
    "name",
    "unique per namespace (renamed in place)",
  ),
  "oci:ObjectStorage/objectLifecyclePolicy:ObjectLifecyclePolicy": row(["bucket", "namespace"]),
  "oci:Ons/notificationTopic:NotificationTopic": row(["name"], "name", "unique per tenancy"),
  "oci:Ons/subscription:Subscription": row(["endpoint", "protocol", "topicId"]),
  "oci:Sch/connector:Connector": row([]),
  "oci:Streaming/stream:Stream": row(["name", "partitions", "retentionInHours"], "name", "unique per stream pool"),
  "oci:Streaming/streamPool:StreamPool": row(["privateEndpointSettings"]),
  "oci:Vault/secret:Secret": row(
    ["secretName", "vaultId", "keyId"],
    "secretName",
    "unique per vault, and reserved while a deleted secret is pending deletion",
  ),
  "pulumi-nodejs:dynamic/multicloud:LinkReadiness": row([], undefined, "every change is an update (it polls again)"),
  "pulumi-nodejs:dynamic/multicloud:VpnCustomerGatewaySwap": row(["region", "vpnConnectionId"]),
  "random:index/randomPassword:RandomPassword": row(["length", "minLower", "minNumeric", "minUpper", "special"]),
  "tls:index/privateKey:PrivateKey": row(["algorithm", "rsaBits"]),
};

/** The provider's documentation page of a type (Pulumi registry), or the component's source for our own. */
export function replacementDocs(type: string): string {
  const dynamic = /^pulumi-nodejs:dynamic\/multicloud:(\w+)$/.exec(type);
  if (dynamic)
    return dynamic[1] === "LinkReadiness"
      ? "components/interconnect/linkReadiness.ts"
      : "components/interconnect/vpnCustomerGatewaySwap.ts";
  const [pkg, module, resource] = type.split(":");
  if (pkg === "awsx") return "https://www.pulumi.com/registry/packages/awsx/api-docs/ecr/image/";
  if (pkg === "docker-build") return "https://www.pulumi.com/registry/packages/docker-build/api-docs/image/";
  if (pkg === "kubernetes")
    return `https://www.pulumi.com/registry/packages/kubernetes/api-docs/${module.replace(/\.k8s\.io|\.sh/, "").replace(/\.authorization/, "")}/${resource.toLowerCase()}/`;
  const [area, name] = module.split("/");
  return `https://www.pulumi.com/registry/packages/${pkg}/api-docs/${area === "index" ? "" : `${area.toLowerCase()}/`}${(name ?? "").toLowerCase()}/`;
}

/** The value at a dotted path of an input object. */
export function valueAt(inputs: unknown, dotted: string): unknown {
  return dotted
    .split(".")
    .reduce<unknown>(
      (v, key) => (typeof v === "object" && v !== null ? (v as Record<string, unknown>)[key] : undefined),
      inputs,
    );
}

/** Whether a resource of `type` with these inputs replaces a same-named old one (delete before create is then needed). */
export function needsDeleteBeforeReplace(type: string, inputs: Record<string, unknown>): boolean {
  const unique = REPLACEMENTS[type]?.uniqueName;
  return unique !== undefined && valueAt(inputs, unique) !== undefined;
}
