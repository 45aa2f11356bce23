/** Bad stack-config cases: one changed value, the key its message must name, and what it must say. */
import { projectConfigValues } from "../../components/config/platform";
import { loadStackConfig } from "../../offline/stacks";

/** The stack file's `multicloud:*` values, as loadPlatformConfig hands them to the builder. */
export function namespaced(stack: string, config = loadStackConfig(stack).config): Record<string, string> {
  return projectConfigValues(config, "multicloud");
}

export interface BadCase {
  readonly title: string;
  readonly stack: "dev" | "prod";
  readonly key: string;
  readonly path: readonly string[];
  readonly value: unknown;
  /** The key the message must name. */
  readonly names: string;
  /** What the message must say is wrong or allowed. */
  readonly says: RegExp;
}

export const BAD_CASES: readonly BadCase[] = [
  { title: "malformed AWS CIDR", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "10.10.0.0/33", names: "multicloud:aws.vpcCidr", says: /not an IPv4 CIDR.*e\.g\. 10\.10\.0\.0\/16/ },
  { title: "AWS CIDR with host bits", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "10.10.0.1/16", names: "multicloud:aws.vpcCidr", says: /host bits set; its network address is 10\.10\.0\.0\/16/ },
  { title: "malformed OCI CIDR", stack: "dev", key: "multicloud:oci", path: ["vcnCidr"], value: "10.20.0/16", names: "multicloud:oci.vcnCidr", says: /not an IPv4 CIDR/ },
  { title: "AWS and OCI ranges overlapping", stack: "dev", key: "multicloud:oci", path: ["vcnCidr"], value: "10.10.128.0/17", names: "multicloud:oci.vcnCidr", says: /overlaps multicloud:aws\.vpcCidr \(10\.10\.0\.0\/16\).*disjoint/ },
  { title: "AWS range inside the OCI range", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "10.20.0.0/20", names: "multicloud:oci.vcnCidr", says: /overlaps multicloud:aws\.vpcCidr \(10\.20\.0\.0\/20\)/ },
  { title: "private and public subnets that are carved but overlap", stack: "dev", key: "multicloud:aws", path: ["subnetPrefixLengths"], value: { private: 17, public: 24 }, names: "multicloud:aws.subnetPrefixLengths", says: /2 private \/17 and 2 public \/24 subnets do not fit in 10\.10\.0\.0\/16/ },
  { title: "allowed lateness over a day", stack: "dev", key: "multicloud:ml", path: ["allowedLatenessMinutes"], value: 1441, names: "multicloud:ml.allowedLatenessMinutes", says: /an integer from 0 to 1440/ },
  { title: "AWS range overlapping 169.254.0.0/16", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "169.254.0.0/16", names: "multicloud:aws.vpcCidr", says: /overlaps 169\.254\.0\.0\/16 \(link-local/ },
  { title: "OCI range overlapping 169.254.0.0/16", stack: "prod", key: "multicloud:oci", path: ["vcnCidr"], value: "169.254.128.0/17", names: "multicloud:oci.vcnCidr", says: /overlaps 169\.254\.0\.0\/16/ },
  { title: "public (non-private) range", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "8.8.0.0/16", names: "multicloud:aws.vpcCidr", says: /not private address space/ },
  { title: "VPC larger than AWS allows", stack: "dev", key: "multicloud:aws", path: ["vpcCidr"], value: "10.0.0.0/8", names: "multicloud:aws.vpcCidr", says: /is a \/8; an AWS VPC takes \/16 to \/28/ },
  { title: "AWS subnet plan that does not fit", stack: "prod", key: "multicloud:aws", path: ["subnetPrefixLengths", "private"], value: 17, names: "multicloud:aws.subnetPrefixLengths", says: /3 private \/17 and 3 public \/24 subnets do not fit in 10\.100\.0\.0\/16/ },
  { title: "OCI subnet plan that does not fit", stack: "dev", key: "multicloud:oci", path: ["vcnCidr"], value: "10.20.0.0/24", names: "multicloud:oci.subnetPrefixLengths", says: /do not fit in 10\.20\.0\.0\/24/ },
  { title: "unknown interconnect mode", stack: "dev", key: "multicloud:interconnect", path: ["mode"], value: "vpn", names: "multicloud:interconnect.mode", says: /"vpn" is not allowed; one of ipsec, fastconnect/ },
  { title: "AWS-side ASN out of the private range", stack: "dev", key: "multicloud:interconnect", path: ["awsSideAsn"], value: 70000, names: "multicloud:interconnect.awsSideAsn", says: /64512–65534 or 4200000000–4294967294/ },
  { title: "ASN beyond 32 bits", stack: "prod", key: "multicloud:interconnect", path: ["customerAsn"], value: 4294967296, names: "multicloud:interconnect.customerAsn", says: /an integer from 1 to 4294967294/ },
  { title: "customer ASN equal to Oracle's 31898", stack: "prod", key: "multicloud:interconnect", path: ["customerAsn"], value: 31898, names: "multicloud:interconnect.customerAsn", says: /Oracle's own ASN/ },
  { title: "customer ASN equal to the AWS side's", stack: "prod", key: "multicloud:interconnect", path: ["customerAsn"], value: 64513, names: "multicloud:interconnect.customerAsn", says: /equals multicloud:interconnect\.awsSideAsn/ },
  { title: "fastconnect without a customer ASN", stack: "prod", key: "multicloud:interconnect", path: ["customerAsn"], value: undefined, names: "multicloud:interconnect.customerAsn", says: /required when mode is fastconnect/ },
  { title: "customer ASN given for ipsec mode (would be ignored)", stack: "dev", key: "multicloud:interconnect", path: ["customerAsn"], value: 65010, names: "multicloud:interconnect.customerAsn", says: /only applies when mode is fastconnect/ },
  { title: "tunnel inside CIDR that is not a /30", stack: "dev", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs"], value: ["169.254.20.0/29", "169.254.20.8/30"], names: "multicloud:interconnect.ipsec.insideCidrs[0]", says: /is a \/29; tunnel inside addresses are a \/30/ },
  { title: "tunnel inside CIDR outside 169.254.0.0/16", stack: "dev", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs"], value: ["10.0.0.0/30", "169.254.20.4/30"], names: "multicloud:interconnect.ipsec.insideCidrs[0]", says: /outside 169\.254\.0\.0\/16/ },
  { title: "tunnel inside CIDR AWS reserves", stack: "prod", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs", "2"], value: "169.254.5.252/30", names: "multicloud:interconnect.ipsec.insideCidrs[2]", says: /reserved by AWS/ },
  { title: "duplicate tunnel /30", stack: "dev", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs"], value: ["169.254.20.0/30", "169.254.20.0/30"], names: "multicloud:interconnect.ipsec.insideCidrs[1]", says: /overlaps multicloud:interconnect\.ipsec\.insideCidrs\[0\]/ },
  { title: "tunnel /30 clashing with a peering /30", stack: "prod", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs", "3"], value: "169.254.100.4/30", names: "multicloud:interconnect.directConnect.customerAddress", says: /overlaps multicloud:interconnect\.ipsec\.insideCidrs\[3\]/ },
  { title: "wrong number of tunnel /30s", stack: "dev", key: "multicloud:interconnect", path: ["ipsec", "insideCidrs"], value: ["169.254.20.0/30"], names: "multicloud:interconnect.ipsec.insideCidrs", says: /has 1 entries; 1 tunnel pair\(s\) need exactly 2/ },
  { title: "prod with one tunnel pair", stack: "prod", key: "multicloud:interconnect", path: ["ipsec", "tunnelPairs"], value: 1, names: "multicloud:interconnect.ipsec.tunnelPairs", says: /too few for prod/ },
  { title: "ipsec mode without tunnel settings", stack: "dev", key: "multicloud:interconnect", path: ["ipsec"], value: undefined, names: "multicloud:interconnect.ipsec", says: /is required for mode ipsec/ },
  { title: "FastConnect settings in ipsec mode (would be ignored)", stack: "dev", key: "multicloud:interconnect", path: ["fastConnect"], value: { providerName: "Equinix", bandwidthShapeName: "1 Gbps", customerBgpPeeringIp: "169.254.100.1/30", oracleBgpPeeringIp: "169.254.100.2/30" }, names: "multicloud:interconnect.fastConnect", says: /only applies when mode is fastconnect/ },
  { title: "FastConnect peering on the broadcast address", stack: "prod", key: "multicloud:interconnect", path: ["fastConnect", "oracleBgpPeeringIp"], value: "169.254.100.3/30", names: "multicloud:interconnect.fastConnect.oracleBgpPeeringIp", says: /169\.254\.100\.3 is the network or broadcast address/ },
  { title: "malformed partner peering address (named as itself, not its peer)", stack: "prod", key: "multicloud:interconnect", path: ["fastConnect", "customerBgpPeeringIp"], value: "169.254.100.1", names: "multicloud:interconnect.fastConnect.customerBgpPeeringIp", says: /"169\.254\.100\.1" is not an address with a \/30 or \/31 prefix/ },
  { title: "malformed AWS peering address", stack: "prod", key: "multicloud:interconnect", path: ["directConnect", "amazonAddress"], value: "169.254.100.5/29", names: "multicloud:interconnect.directConnect.amazonAddress", says: /"169\.254\.100\.5\/29" is not an address with a \/30 or \/31 prefix/ },
  { title: "FastConnect peers in different /30s", stack: "prod", key: "multicloud:interconnect", path: ["fastConnect", "oracleBgpPeeringIp"], value: "169.254.101.2/30", names: "multicloud:interconnect.fastConnect.oracleBgpPeeringIp", says: /not in the same \/30 or \/31/ },
  { title: "malformed bandwidth shape", stack: "prod", key: "multicloud:interconnect", path: ["fastConnect", "bandwidthShapeName"], value: "1Gbps", names: "multicloud:interconnect.fastConnect.bandwidthShapeName", says: /"1Gbps" is not allowed; a bandwidth shape name such as "1 Gbps"/ },
  { title: "hosted Direct Connect without its connection id", stack: "prod", key: "multicloud:interconnect", path: ["directConnect", "connectionId"], value: undefined, names: "multicloud:interconnect.directConnect.connectionId", says: /required for a hosted connection/ },
  { title: "dedicated Direct Connect without a location", stack: "prod", key: "multicloud:interconnect", path: ["directConnect"], value: { connectionType: "dedicated", bandwidth: "1Gbps", vlan: 2001, amazonAddress: "169.254.100.5/30", customerAddress: "169.254.100.6/30" }, names: "multicloud:interconnect.directConnect.location", says: /required for a dedicated connection/ },
  { title: "VLAN out of range", stack: "prod", key: "multicloud:interconnect", path: ["directConnect", "vlan"], value: 4095, names: "multicloud:interconnect.directConnect.vlan", says: /an integer from 1 to 4094/ },
  { title: "missing AWS region", stack: "dev", key: "multicloud:aws", path: ["region"], value: undefined, names: "multicloud:aws.region", says: /is required; an AWS region name/ },
  { title: "unknown AWS region", stack: "dev", key: "multicloud:aws", path: ["region"], value: "eu-west-9", names: "multicloud:aws.region", says: /"eu-west-9" is not allowed/ },
  { title: "missing OCI region", stack: "dev", key: "multicloud:oci", path: ["region"], value: undefined, names: "multicloud:oci.region", says: /is required; an OCI region identifier/ },
  { title: "missing compartment", stack: "prod", key: "multicloud:oci", path: ["compartmentId"], value: undefined, names: "multicloud:oci.compartmentId", says: /is required; a compartment \(or tenancy\) OCID/ },
  { title: "malformed compartment OCID", stack: "dev", key: "multicloud:oci", path: ["compartmentId"], value: "ocid1.vcn.oc1.fra.abc", names: "multicloud:oci.compartmentId", says: /is not allowed; a compartment/ },
  { title: "zero budget", stack: "dev", key: "multicloud:budget", path: ["awsMonthlyLimit"], value: 0, names: "multicloud:budget.awsMonthlyLimit", says: /greater than 0/ },
  { title: "negative budget", stack: "prod", key: "multicloud:budget", path: ["ociMonthlyLimit"], value: -100, names: "multicloud:budget.ociMonthlyLimit", says: /greater than 0/ },
  { title: "malformed e-mail", stack: "dev", key: "multicloud:budget", path: ["alertEmails"], value: ["finops@"], names: "multicloud:budget.alertEmails[0]", says: /"finops@" is not allowed; an e-mail address/ },
  { title: "no alert e-mail", stack: "dev", key: "multicloud:budget", path: ["alertEmails"], value: [], names: "multicloud:budget.alertEmails", says: /at least one e-mail address/ },
  { title: "feature function reserved below shards × parallelization", stack: "prod", key: "multicloud:ml", path: ["reservedConcurrency", "features"], value: 10, names: "multicloud:ml.reservedConcurrency.features", says: /: 10 is below 16, the stream's 4 shard\(s\) \(an on-demand stream's initial\) × parallelizationFactor 4; reserve at least that many or remove the key$/ },
  { title: "reserved concurrency of zero", stack: "dev", key: "multicloud:ml", path: ["reservedConcurrency"], value: { inference: 0 }, names: "multicloud:ml.reservedConcurrency.inference", says: /an integer from 1 to 1000/ },
  { title: "service password rotation never", stack: "dev", key: "multicloud:database", path: ["serviceRotationDays"], value: 0, names: "multicloud:database.serviceRotationDays", says: /days between rotations of the services' database password \(an integer from 1 to 365\)/ },
  { title: "no key administrator", stack: "dev", key: "multicloud:aws", path: ["keyAdministratorArns"], value: undefined, names: "multicloud:aws.keyAdministratorArns", says: /is required; a non-empty list of IAM role ARNs/ },
  { title: "a user, not a role, administers keys", stack: "dev", key: "multicloud:aws", path: ["keyAdministratorArns"], value: ["arn:aws:iam::414910048482:user/alice"], names: "multicloud:aws.keyAdministratorArns[0]", says: /an IAM role ARN, arn:aws:iam::<account>:role\/<name>/ },
  { title: "key administrator in an account the stack does not deploy to", stack: "prod", key: "multicloud:aws", path: ["allowedAccountIds"], value: ["123456789012"], names: "multicloud:aws.keyAdministratorArns[0]", says: /is in account 127590287683, not in allowedAccountIds \(123456789012\); name a role of the account the keys live in/ },
  { title: "no alarm e-mail", stack: "dev", key: "multicloud:aws", path: ["alarmEmails"], value: undefined, names: "multicloud:aws.alarmEmails", says: /is required; a list of e-mail addresses/ },
  { title: "alarm e-mail listed twice", stack: "prod", key: "multicloud:aws", path: ["alarmEmails"], value: ["oncall@example.com", "OnCall@example.com"], names: "multicloud:aws.alarmEmails", says: /lists an address twice/ },
  { title: "database name too long for the warehouse suffix", stack: "dev", key: "multicloud:database", path: ["dbName"], value: "platformdbname", names: "multicloud:database.dbName", says: /at most 12 characters/ },
  { title: "prod backups kept too briefly", stack: "prod", key: "multicloud:database", path: ["backupRetentionDays"], value: 7, names: "multicloud:database.backupRetentionDays", says: /too short for prod; keep backups at least 30 days/ },
  { title: "prod database without autoscaling", stack: "prod", key: "multicloud:database", path: ["oltp", "autoScaling"], value: false, names: "multicloud:database.oltp.autoScaling", says: /must be true in prod/ },
  { title: "one ECPU outside an elastic pool", stack: "dev", key: "multicloud:database", path: ["oltp", "ecpuCount"], value: 1, names: "multicloud:database.oltp.ecpuCount", says: /an integer from 2 to 512/ },
  { title: "prod on fewer than 3 AZs", stack: "prod", key: "multicloud:aws", path: ["azCount"], value: 2, names: "multicloud:aws.azCount", says: /production spreads over at least 3/ },
  { title: "flow-log retention OCI Logging does not offer", stack: "prod", key: "multicloud:oci", path: ["flowLogRetentionDays"], value: 365, names: "multicloud:oci.flowLogRetentionDays", says: /one of OCI Logging's retention periods \(30-day steps\): 30, 60, 90, 120, 150, 180/ },
  { title: "log retention CloudWatch does not offer", stack: "dev", key: "multicloud:aws", path: ["logRetentionDays"], value: 45, names: "multicloud:aws.logRetentionDays", says: /one of CloudWatch's retention periods/ },
  { title: "provisioned stream without a shard count", stack: "dev", key: "multicloud:ml", path: ["stream", "shardCount"], value: undefined, names: "multicloud:ml.stream.shardCount", says: /: is required for a provisioned stream; the number of shards, e\.g\. 2$/ },
  { title: "on-demand stream with a shard count", stack: "prod", key: "multicloud:ml", path: ["stream", "shardCount"], value: 2, names: "multicloud:ml.stream.shardCount", says: /: does not apply to an onDemand stream; remove it$/ },
  { title: "endpoint autoscaling minimum above its maximum", stack: "prod", key: "multicloud:ml", path: ["sagemaker", "autoscaling", "minInstances"], value: 7, names: "multicloud:ml.sagemaker.autoscaling.minInstances", says: /: 7 is above maxInstances 6$/ },
  { title: "endpoint instances outside the autoscaling bounds", stack: "prod", key: "multicloud:ml", path: ["sagemaker", "instanceCount"], value: 7, names: "multicloud:ml.sagemaker.instanceCount", says: /: 7 is outside autoscaling's 2–6$/ },
  { title: "prod endpoint without autoscaling", stack: "prod", key: "multicloud:ml", path: ["sagemaker", "autoscaling"], value: undefined, names: "multicloud:ml.sagemaker.autoscaling", says: /: is required in prod; scale the endpoint on invocations per instance$/ },
  { title: "a misspelt field", stack: "dev", key: "multicloud:aws", path: ["vpcCidrBlock"], value: "10.10.0.0/16", names: "multicloud:aws.vpcCidrBlock", says: /not a setting this program reads/ },
  { title: "a misspelt top-level key", stack: "dev", key: "multicloud:budgets", path: [], value: { awsMonthlyLimit: 1 }, names: "multicloud:budgets", says: /not a setting this program reads/ },
  { title: "a missing top-level key", stack: "dev", key: "multicloud:budget", path: [], value: undefined, names: "multicloud:budget", says: /is required; a map with awsMonthlyLimit/ },
  { title: "unparseable structured value", stack: "dev", key: "multicloud:aws", path: [], value: "{region: eu-west-1", names: "multicloud:aws", says: /not valid structured config/ },
  { title: "Kubernetes version without pinned add-ons", stack: "dev", key: "multicloud:eks", path: ["kubernetesVersion"], value: "1.29", names: "multicloud:eks.kubernetesVersion", says: /"1\.29" is not allowed; one of 1\.35 \(the versions whose add-ons this program pins\)/ },
  { title: "public Kubernetes API open to the world", stack: "dev", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: ["0.0.0.0/0"], names: "multicloud:eks.endpoint.deployerCidrs[0]", says: /0\.0\.0\.0\/0 opens the public Kubernetes API to 4294967296 addresses; list the deploy runner's egress/ },
  { title: "public Kubernetes API open to a /8", stack: "dev", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: ["198.51.100.16/28", "52.0.0.0/8"], names: "multicloud:eks.endpoint.deployerCidrs[1]", says: /52\.0\.0\.0\/8 opens the public Kubernetes API/ },
  { title: "public endpoint listing a private range", stack: "dev", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: ["10.250.0.0/24"], names: "multicloud:eks.endpoint.deployerCidrs[0]", says: /private address space; the public endpoint sees the runner's public egress address/ },
  { title: "private endpoint listing a public range", stack: "prod", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: ["198.51.100.16/28"], names: "multicloud:eks.endpoint.deployerCidrs[0]", says: /not private address space; with access: private/ },
  { title: "too many deploy networks for a private endpoint", stack: "prod", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: ["10.250.0.0/24", "10.251.0.0/24", "10.252.0.0/24", "10.253.0.0/24", "10.254.0.0/24", "10.255.0.0/24"], names: "multicloud:eks.endpoint.deployerCidrs", says: /lists 6 blocks; a private endpoint admits at most 5 deploy networks/ },
  { title: "no deploy network", stack: "prod", key: "multicloud:eks", path: ["endpoint", "deployerCidrs"], value: [], names: "multicloud:eks.endpoint.deployerCidrs", says: /a non-empty list of the blocks `pulumi up` runs from/ },
  { title: "unknown endpoint access", stack: "dev", key: "multicloud:eks", path: ["endpoint", "access"], value: "both", names: "multicloud:eks.endpoint.access", says: /"both" is not allowed; private .* or public/ },
  { title: "public Kubernetes API in prod", stack: "prod", key: "multicloud:eks", path: ["endpoint"], value: { access: "public", deployerCidrs: ["198.51.100.16/28"] }, names: "multicloud:eks.endpoint.access", says: /must be private in prod/ },
  { title: "node group desired size outside min–max", stack: "dev", key: "multicloud:eks", path: ["nodes", "desiredSize"], value: 5, names: "multicloud:eks.nodes.desiredSize", says: /5 must lie within minSize 2 and maxSize 3/ },
  { title: "one node in prod", stack: "prod", key: "multicloud:eks", path: ["nodes"], value: { instanceTypes: ["m7i.xlarge"], minSize: 1, desiredSize: 1, maxSize: 3, diskGb: 100 }, names: "multicloud:eks.nodes.minSize", says: /leaves prod on one node/ },
  { title: "malformed instance type", stack: "dev", key: "multicloud:eks", path: ["nodes", "instanceTypes"], value: ["m7i-large"], names: "multicloud:eks.nodes.instanceTypes[0]", says: /an EC2 instance type such as m7i\.large/ },
  { title: "cluster admin that is a user", stack: "dev", key: "multicloud:eks", path: ["adminRoleArns"], value: ["arn:aws:iam::414910048482:user/alice"], names: "multicloud:eks.adminRoleArns[0]", says: /an IAM role ARN/ },
  { title: "cluster admin listed twice", stack: "dev", key: "multicloud:eks", path: ["adminRoleArns"], value: ["arn:aws:iam::414910048482:role/platform-deployer", "arn:aws:iam::414910048482:role/platform-deployer"], names: "multicloud:eks.adminRoleArns", says: /lists a role twice/ },
  { title: "order replicas min above max", stack: "dev", key: "multicloud:orders", path: ["replicas"], value: { min: 4, max: 2 }, names: "multicloud:orders.replicas.min", says: /4 is above max 2/ },
  { title: "one order pod in prod", stack: "prod", key: "multicloud:orders", path: ["replicas", "min"], value: 1, names: "multicloud:orders.replicas.min", says: /one pod in prod; keep at least 2/ },
  { title: "order pool larger than the service accepts", stack: "dev", key: "multicloud:orders", path: ["pool", "size"], value: 65, names: "multicloud:orders.pool.size", says: /an integer from 1 to 64/ },
  { title: "order queue timeout not below the call timeout", stack: "dev", key: "multicloud:orders", path: ["pool", "queueTimeoutMs"], value: 5000, names: "multicloud:orders.pool.queueTimeoutMs", says: /5000 is not below callTimeoutMs 5000/ },
  { title: "autoscaling target beyond 90 %", stack: "dev", key: "multicloud:orders", path: ["targetCpuPercent"], value: 95, names: "multicloud:orders.targetCpuPercent", says: /an integer from 20 to 90/ },
  { title: "order settings with a typo", stack: "dev", key: "multicloud:orders", path: ["pool", "sise"], value: 4, names: "multicloud:orders.pool.sise", says: /not a setting this program reads/ },
  { title: "MSK older than the topic API", stack: "dev", key: "multicloud:sync", path: ["kafka", "version"], value: "2.8.1", names: "multicloud:sync.kafka.version", says: /"2\.8\.1" is not allowed; one of 3\.6\.0, 3\.7\.x, 3\.8\.x, 3\.9\.x/ },
  { title: "MSK storage ceiling below its start", stack: "dev", key: "multicloud:sync", path: ["kafka", "maxStorageGb"], value: 10, names: "multicloud:sync.kafka.maxStorageGb", says: /10 is below storageGb 20/ },
  { title: "more sync consumers than partitions", stack: "dev", key: "multicloud:sync", path: ["consumer", "replicas"], value: 7, names: "multicloud:sync.consumer.replicas", says: /7 consumers for 6 partitions: the extra ones would idle/ },
  { title: "a batch larger than one database write takes", stack: "dev", key: "multicloud:sync", path: ["consumer", "batchSize"], value: 1000, names: "multicloud:sync.consumer.batchSize", says: /an integer from 1 to 500/ },
  { title: "malformed broker type", stack: "prod", key: "multicloud:sync", path: ["kafka", "brokerInstanceType"], value: "m7g.large", names: "multicloud:sync.kafka.brokerInstanceType", says: /kafka\.m7g\.large/ },
];

