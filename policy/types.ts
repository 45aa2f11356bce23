/**
 * Resource type tokens the policies match on. Matching tokens (rather than `isType(aws.s3.Bucket)`)
 * keeps the pack from loading the whole AWS and OCI SDKs, so it starts in seconds; a test checks
 * every token against the SDK class's own `__pulumiType`.
 */
export const AWS = {
  s3Bucket: "aws:s3/bucket:Bucket",
  s3Encryption: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
  s3PublicAccessBlock: "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
  s3Versioning: "aws:s3/bucketVersioning:BucketVersioning",
  dynamoTable: "aws:dynamodb/table:Table",
  kinesisStream: "aws:kinesis/stream:Stream",
  sqsQueue: "aws:sqs/queue:Queue",
  snsTopic: "aws:sns/topic:Topic",
  metricAlarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
  kmsKey: "aws:kms/key:Key",
  mskCluster: "aws:msk/cluster:Cluster",
  stateMachine: "aws:sfn/stateMachine:StateMachine",
  mskConfiguration: "aws:msk/configuration:Configuration",
  lambdaFunction: "aws:lambda/function:Function",
  eventSourceMapping: "aws:lambda/eventSourceMapping:EventSourceMapping",
  iamRole: "aws:iam/role:Role",
  iamRolePolicy: "aws:iam/rolePolicy:RolePolicy",
  iamPolicy: "aws:iam/policy:Policy",
  eksCluster: "aws:eks/cluster:Cluster",
  eksNodeGroup: "aws:eks/nodeGroup:NodeGroup",
  launchTemplate: "aws:ec2/launchTemplate:LaunchTemplate",
  ecrRepository: "aws:ecr/repository:Repository",
  sagemakerEndpointConfig: "aws:sagemaker/endpointConfiguration:EndpointConfiguration",
  secret: "aws:secretsmanager/secret:Secret",
  securityGroup: "aws:ec2/securityGroup:SecurityGroup",
  securityGroupRule: "aws:ec2/securityGroupRule:SecurityGroupRule",
  securityGroupIngressRule: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
  loadBalancer: "aws:lb/loadBalancer:LoadBalancer",
  vpnConnection: "aws:ec2/vpnConnection:VpnConnection",
  vpc: "aws:ec2/vpc:Vpc",
  flowLog: "aws:ec2/flowLog:FlowLog",
  logGroup: "aws:cloudwatch/logGroup:LogGroup",
  snsTopicPolicy: "aws:sns/topicPolicy:TopicPolicy",
  vpcEndpointPolicy: "aws:ec2/vpcEndpointPolicy:VpcEndpointPolicy",
  budget: "aws:budgets/budget:Budget",
  rdsInstance: "aws:rds/instance:Instance",
  rdsCluster: "aws:rds/cluster:Cluster",
} as const;

/** Kubernetes kinds the workload policies read (pod templates, namespaces, services). */
export const K8S = {
  deployment: "kubernetes:apps/v1:Deployment",
  statefulSet: "kubernetes:apps/v1:StatefulSet",
  daemonSet: "kubernetes:apps/v1:DaemonSet",
  job: "kubernetes:batch/v1:Job",
  namespace: "kubernetes:core/v1:Namespace",
  service: "kubernetes:core/v1:Service",
} as const;

export const OCI = {
  autonomousDatabase: "oci:Database/autonomousDatabase:AutonomousDatabase",
  bucket: "oci:ObjectStorage/bucket:Bucket",
  streamPool: "oci:Streaming/streamPool:StreamPool",
  securityList: "oci:Core/securityList:SecurityList",
  defaultSecurityList: "oci:Core/defaultSecurityList:DefaultSecurityList",
  nsgRule: "oci:Core/networkSecurityGroupSecurityRule:NetworkSecurityGroupSecurityRule",
  functionsApplication: "oci:Functions/application:Application",
  subnet: "oci:Core/subnet:Subnet",
  budget: "oci:Budget/budget:Budget",
  budgetRule: "oci:Budget/rule:Rule",
  drgAttachment: "oci:Core/drgAttachment:DrgAttachment",
  drgAttachmentManagement: "oci:Core/drgAttachmentManagement:DrgAttachmentManagement",
  drgRouteTable: "oci:Core/drgRouteTable:DrgRouteTable",
  ipsec: "oci:Core/ipsec:Ipsec",
  ipsecTunnel: "oci:Core/ipsecConnectionTunnelManagement:IpsecConnectionTunnelManagement",
  virtualCircuit: "oci:Core/virtualCircuit:VirtualCircuit",
  log: "oci:Logging/log:Log",
} as const;
