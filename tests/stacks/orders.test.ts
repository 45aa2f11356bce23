/**
 * The EKS cluster and the order service on the real dev and prod plans: what the cluster is
 * (private endpoint, encryption, logs, access entries, pinned add-ons, hardened nodes) and what
 * the workload is (probes, security context, resources, digest-pinned image, no secret in its
 * environment or spec, network policy, a pod identity role scoped to one secret).
 */
import { expect } from "chai";
import { ADDON_VERSIONS } from "../../components/eks/addons";
import { ORDERS_HTTP, ORDERS_SHUTDOWN, TERMINATION_GRACE_SECONDS } from "../../functions/aws/orders/contract";
import { RecordedResource, RunResult } from "../../offline/engine";
import { loadStackConfig } from "../../offline/stacks";
import { DIGEST_PINNED } from "../../policy/kubernetes";
import { named, ofType, runStack } from "../support/stacks";

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- Kubernetes objects as registered, read field by field

const config = (stack: string, key: string) => JSON.parse(loadStackConfig(stack).config[`multicloud:${key}`]) as Json;

for (const stack of ["dev", "prod"] as const) {
  describe(`EKS cluster and order service (${stack})`, () => {
    let run: RunResult;
    before(async () => {
      run = await runStack(stack);
      if (run.error) throw run.error;
    });
    const cluster = () => named(run, "aws:eks/cluster:Cluster", "eks-cluster");
    const deployment = () => named(run, "kubernetes:apps/v1:Deployment", "orders-deployment").inputs as Json;
    const container = () => deployment().spec.template.spec.containers[0] as Json;
    const privateSubnetIds = () =>
      ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => s.inputs.tags && (s.inputs.tags as Json).tier === "private")
        .map((s) => s.id);

    it("runs the configured version with a private endpoint, a public one only for the deploy runner", () => {
      const eks = config(stack, "eks");
      const inputs = cluster().inputs as Json;
      expect(inputs.version).to.equal(eks.kubernetesVersion);
      expect(inputs.vpcConfig.endpointPrivateAccess).to.equal(true);
      expect(inputs.vpcConfig.endpointPublicAccess).to.equal(eks.endpoint.access === "public");
      expect(inputs.vpcConfig.publicAccessCidrs).to.deep.equal(
        eks.endpoint.access === "public" ? eks.endpoint.deployerCidrs : undefined,
      );
      expect(inputs.vpcConfig.subnetIds).to.deep.equal(privateSubnetIds());
      // The private endpoint admits the deploy network on 443 (only in private mode; the public one has its own list).
      const apiRules = ofType(run, "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule").filter((r) =>
        r.name.startsWith("eks-api-from-deployer-"),
      );
      expect(apiRules.map((r) => [r.inputs.cidrIpv4, r.inputs.fromPort, r.inputs.toPort])).to.deep.equal(
        eks.endpoint.access === "private" ? eks.endpoint.deployerCidrs.map((c: string) => [c, 443, 443]) : [],
      );
      // ...and so does the private subnets' network ACL (stateless: the replies too).
      const acl = named(run, "aws:ec2/networkAcl:NetworkAcl", "aws-network-private-acl").inputs as Json;
      const fromDeployer = acl.ingress
        .filter((r: Json) => eks.endpoint.deployerCidrs.includes(r.cidrBlock))
        .map((r: Json) => `${r.fromPort}-${r.toPort}`);
      const toDeployer = acl.egress
        .filter((r: Json) => eks.endpoint.deployerCidrs.includes(r.cidrBlock))
        .map((r: Json) => `${r.fromPort}-${r.toPort}`);
      expect([fromDeployer, toDeployer]).to.deep.equal(
        eks.endpoint.access === "private" ? [["443-443"], ["1024-65535"]] : [[], []],
      );
    });

    it("authenticates by access entries only, encrypts secrets with its own key, logs api/audit/authenticator to an encrypted group", () => {
      const inputs = cluster().inputs as Json;
      expect(inputs.accessConfig).to.deep.equal({
        authenticationMode: "API",
        bootstrapClusterCreatorAdminPermissions: false,
      });
      const key = ofType(run, "aws:kms/key:Key").find((k) => k.state.arn === inputs.encryptionConfig.provider.keyArn);
      expect(key?.name).to.equal("eks-secrets");
      expect(key?.inputs.enableKeyRotation).to.equal(true);
      const use = (JSON.parse(String(key?.inputs.policy)) as Json).Statement.find(
        (s: Json) => s.Sid === "ControlPlaneUsesForSecrets",
      );
      expect(use.Principal.AWS).to.match(new RegExp(`:role/multicloud-${stack}-eks-cluster$`));
      expect(named(run, "aws:iam/role:Role", "eks-cluster").inputs.name).to.equal(`multicloud-${stack}-eks-cluster`);
      expect(inputs.encryptionConfig.resources).to.deep.equal(["secrets"]);
      expect(inputs.enabledClusterLogTypes).to.deep.equal(["api", "audit", "authenticator"]);
      const logs = named(run, "aws:cloudwatch/logGroup:LogGroup", "eks-control-plane");
      expect(logs.inputs.name).to.equal(`/aws/eks/multicloud-${stack}-eks/cluster`);
      expect(inputs.bootstrapSelfManagedAddons).to.equal(false);
      expect(inputs.deletionProtection).to.equal(stack === "prod");
      const admins = ofType(run, "aws:eks/accessPolicyAssociation:AccessPolicyAssociation").map((a) => [
        a.inputs.principalArn,
        a.inputs.policyArn,
      ]);
      expect(admins).to.deep.equal(
        config(stack, "eks").adminRoleArns.map((arn: string) => [
          arn,
          "arn:aws:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy",
        ]),
      );
    });

    it("pins every add-on, enforces network policy in the VPC CNI, and gives the CNI its own pod identity role", () => {
      const addons = ofType(run, "aws:eks/addon:Addon");
      const version = config(stack, "eks").kubernetesVersion as keyof typeof ADDON_VERSIONS;
      expect(Object.fromEntries(addons.map((a) => [a.inputs.addonName, a.inputs.addonVersion]))).to.deep.equal(
        ADDON_VERSIONS[version],
      );
      const cni = addons.find((a) => a.inputs.addonName === "vpc-cni") as RecordedResource;
      expect(JSON.parse(String(cni.inputs.configurationValues))).to.deep.equal({ enableNetworkPolicy: "true" });
      const cniRole = named(run, "aws:iam/role:Role", "eks-vpc-cni");
      expect((cni.inputs.podIdentityAssociations as Json[])[0]).to.deep.equal({
        roleArn: cniRole.state.arn,
        serviceAccount: "aws-node",
      });
      // The node role has no CNI policy: pods cannot borrow it.
      const nodePolicies = ofType(run, "aws:iam/rolePolicyAttachment:RolePolicyAttachment").filter(
        (a) => a.inputs.role === named(run, "aws:iam/role:Role", "eks-nodes").state.name,
      );
      expect(nodePolicies.map((a) => String(a.inputs.policyArn).split("/").pop()).sort()).to.deep.equal([
        "AmazonEC2ContainerRegistryPullOnly",
        "AmazonEKSWorkerNodePolicy",
      ]);
      // CoreDNS, metrics-server and the log agents run pods: they wait for the nodes; the CNI, kube-proxy and the pod identity agent come first.
      const nodeGroup = named(run, "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      for (const a of addons)
        expect(a.dependencies.includes(nodeGroup.urn), String(a.inputs.addonName)).to.equal(
          ["coredns", "metrics-server", "amazon-cloudwatch-observability"].includes(String(a.inputs.addonName)),
        );
      for (const a of addons.filter((x) =>
        ["vpc-cni", "kube-proxy", "eks-pod-identity-agent"].includes(String(x.inputs.addonName)),
      ))
        expect(nodeGroup.dependencies).to.include(a.urn);
    });

    it("ships container logs into encrypted groups with retention that exist before the agents, by a role scoped to them", () => {
      const retention = config(stack, "aws").logRetentionDays;
      const addon = ofType(run, "aws:eks/addon:Addon").find(
        (a) => a.inputs.addonName === "amazon-cloudwatch-observability",
      ) as RecordedResource;
      const role = named(run, "aws:iam/role:Role", "eks-observability");
      expect(addon.inputs.podIdentityAssociations).to.deep.equal([
        { roleArn: role.state.arn, serviceAccount: "cloudwatch-agent" },
      ]);
      for (const kind of ["application", "dataplane", "host", "performance"]) {
        const group = named(run, "aws:cloudwatch/logGroup:LogGroup", `eks-logs-${kind}`);
        expect([group.inputs.name, group.inputs.retentionInDays]).to.deep.equal([
          `/aws/containerinsights/multicloud-${stack}-eks/${kind}`,
          retention,
        ]);
        expect(group.inputs.kmsKeyId).to.be.a("string");
        expect(addon.dependencies).to.include(group.urn);
      }
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0].Condition.StringEquals as Json;
      expect([
        trust["aws:RequestTag/kubernetes-namespace"],
        trust["aws:RequestTag/kubernetes-service-account"],
      ]).to.deep.equal(["amazon-cloudwatch", "cloudwatch-agent"]);
    });

    it("runs the nodes in the private subnets from a launch template with IMDSv2 and hop limit 1", () => {
      const nodeGroup = named(run, "aws:eks/nodeGroup:NodeGroup", "eks-nodes");
      const nodes = config(stack, "eks").nodes;
      expect(nodeGroup.inputs.subnetIds).to.deep.equal(privateSubnetIds());
      expect(nodeGroup.inputs.scalingConfig).to.deep.equal({
        minSize: nodes.minSize,
        desiredSize: nodes.desiredSize,
        maxSize: nodes.maxSize,
      });
      expect(nodeGroup.inputs.instanceTypes).to.deep.equal(nodes.instanceTypes);
      const template = named(run, "aws:ec2/launchTemplate:LaunchTemplate", "eks-nodes");
      expect((nodeGroup.inputs.launchTemplate as Json).id).to.equal(template.id);
      expect(template.inputs.metadataOptions as Json).to.deep.include({
        httpTokens: "required",
        httpPutResponseHopLimit: 1,
      });
      expect((template.inputs.blockDeviceMappings as Json[])[0].ebs).to.deep.include({
        volumeSize: nodes.diskGb,
        encrypted: "true",
        volumeType: "gp3",
      });
      expect(nodeGroup.ignoreChanges).to.deep.equal(["scalingConfig.desiredSize"]);
    });

    it("tags the private subnets (only) for internal load balancers", () => {
      for (const subnet of ofType(run, "aws:ec2/subnet:Subnet")) {
        const tags = subnet.inputs.tags as Json;
        expect(tags["kubernetes.io/role/internal-elb"], subnet.name).to.equal(
          tags.tier === "private" ? "1" : undefined,
        );
      }
    });

    it("builds every Kubernetes object with the cluster's own provider", () => {
      const provider = named(run, "pulumi:providers:kubernetes", "eks-k8s");
      const objects = run.resources.filter((r) => r.type.startsWith("kubernetes:"));
      expect(objects.length).to.be.greaterThan(8);
      for (const o of objects) expect(o.provider, o.name).to.equal(provider.urn);
      expect(JSON.parse(String(provider.inputs.kubeconfig)).users[0].user.exec.args).to.deep.equal([
        "eks",
        "get-token",
        "--cluster-name",
        `multicloud-${stack}-eks`,
        "--region",
        "eu-west-1",
        "--output",
        "json",
      ]);
    });

    it("runs the image by digest, as a hardened non-root container with requests, limits and three probes", () => {
      const c = container();
      const image = named(run, "aws:ecr/repository:Repository", "orders-image-repository");
      expect(c.image).to.match(DIGEST_PINNED);
      expect(c.image.startsWith(`${image.state.repositoryUrl}@sha256:`)).to.equal(true);
      expect(c.securityContext).to.deep.equal({
        runAsNonRoot: true,
        runAsUser: 65532,
        runAsGroup: 65532,
        readOnlyRootFilesystem: true,
        allowPrivilegeEscalation: false,
        capabilities: { drop: ["ALL"] },
        seccompProfile: { type: "RuntimeDefault" },
      });
      expect(c.resources).to.deep.equal({
        requests: { cpu: "250m", memory: "256Mi" },
        limits: { cpu: "1", memory: "512Mi" },
      });
      expect([c.readinessProbe.httpGet.path, c.livenessProbe.httpGet.path, c.startupProbe.httpGet.path]).to.deep.equal([
        ORDERS_HTTP.readiness,
        ORDERS_HTTP.liveness,
        ORDERS_HTTP.liveness,
      ]);
      expect(c.lifecycle.preStop).to.deep.equal({ sleep: { seconds: ORDERS_SHUTDOWN.preStopSleepSeconds } });
      const pod = deployment().spec.template.spec;
      expect(pod.terminationGracePeriodSeconds).to.equal(TERMINATION_GRACE_SECONDS);
      expect(TERMINATION_GRACE_SECONDS).to.be.greaterThan(
        ORDERS_SHUTDOWN.preStopSleepSeconds + ORDERS_SHUTDOWN.drainSeconds,
      );
      expect(pod.automountServiceAccountToken).to.equal(false);
      expect(pod.topologySpreadConstraints[0]).to.deep.include({
        topologyKey: "topology.kubernetes.io/zone",
        whenUnsatisfiable: stack === "prod" ? "DoNotSchedule" : "ScheduleAnyway",
      });
      expect(deployment().spec.replicas).to.equal(config(stack, "orders").replicas.min);
      // Pods start after the schema migrations and with the load balancer controller's webhook in place.
      const deps = named(run, "kubernetes:apps/v1:Deployment", "orders-deployment").dependencies;
      // (a dependency on a component is one on each of its resources, the migration run among them)
      expect(deps).to.include(named(run, "aws:lambda/invocation:Invocation", "migrations-run").urn);
      expect(deps).to.include(named(run, "kubernetes:helm.sh/v3:Release", "lb-controller-chart").urn);
    });

    it("keeps the password out of the pod: no Secret objects, no secret in env or ConfigMap, only the secret's ARN", () => {
      expect(run.resources.filter((r) => r.type === "kubernetes:core/v1:Secret")).to.deep.equal([]);
      const c = container();
      expect(c.env).to.equal(undefined);
      expect(c.envFrom).to.deep.equal([{ configMapRef: { name: "orders-api-config" } }]);
      const data = named(run, "kubernetes:core/v1:ConfigMap", "orders-config").inputs.data as Record<string, string>;
      const appSecret = named(run, "aws:secretsmanager/secret:Secret", "database-access-app");
      expect(data.ORDERS_DB_SECRET_ARN).to.equal(appSecret.state.arn);
      expect(data.ORDERS_POOL_SIZE).to.equal(String(config(stack, "orders").pool.size));
      // The generated password appears nowhere in the Kubernetes objects.
      const password = String(
        named(run, "random:index/randomPassword:RandomPassword", "database-service-password").state.result,
      );
      expect(password.length).to.be.greaterThan(10);
      for (const o of run.resources.filter((r) => r.type.startsWith("kubernetes:")))
        expect(JSON.stringify(o.inputs), o.name).to.not.contain(password);
    });

    it("gives the pods a role that publishes only to the orders topic and reads only their secret, assumable only by their service account in their namespace", () => {
      const role = named(run, "aws:iam/role:Role", "orders-pods");
      const trust = JSON.parse(String(role.inputs.assumeRolePolicy)).Statement[0] as Json;
      expect(trust.Principal).to.deep.equal({ Service: "pods.eks.amazonaws.com" });
      expect(trust.Condition.StringEquals).to.deep.include({
        "aws:RequestTag/kubernetes-namespace": "orders",
        "aws:RequestTag/kubernetes-service-account": "orders-api",
      });
      expect(trust.Condition.ArnEquals["aws:SourceArn"]).to.equal(cluster().state.arn);
      const policy = JSON.parse(String(named(run, "aws:iam/rolePolicy:RolePolicy", "orders-pods").inputs.policy))
        .Statement as Json[];
      const appSecret = named(run, "aws:secretsmanager/secret:Secret", "database-access-app");
      const kafka = named(run, "aws:msk/cluster:Cluster", "orders-kafka-cluster").state;
      const ordersTopic = ofType(run, "aws:msk/topic:Topic").find((t) => t.inputs.name === "orders")!.state;
      expect(policy.map((s) => [s.Action, s.Resource])).to.deep.equal([
        [["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"], [kafka.arn]],
        [["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"], [ordersTopic.arn]],
        [["secretsmanager:GetSecretValue"], [appSecret.state.arn]],
        [["kms:Decrypt"], [named(run, "aws:kms/key:Key", "database-access-key").state.arn]],
      ]);
      const association = named(run, "aws:eks/podIdentityAssociation:PodIdentityAssociation", "orders-pods");
      expect([
        association.inputs.namespace,
        association.inputs.serviceAccount,
        association.inputs.roleArn,
      ]).to.deep.equal(["orders", "orders-api", role.state.arn]);
    });

    it("admits the load balancer's subnets to the traffic and admin ports only, and lets the pods reach DNS, the pod identity agent, the endpoints, the brokers, the database and the JWKS proxy only", () => {
      const spec = named(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "orders-netpol").inputs.spec as Json;
      const privateCidrs = ofType(run, "aws:ec2/subnet:Subnet")
        .filter((s) => (s.inputs.tags as Json).tier === "private")
        .map((s) => s.inputs.cidrBlock);
      expect(spec.ingress).to.deep.equal([
        {
          from: privateCidrs.map((cidr) => ({ ipBlock: { cidr } })),
          ports: [
            { protocol: "TCP", port: ORDERS_HTTP.port },
            { protocol: "TCP", port: ORDERS_HTTP.adminPort },
          ],
        },
      ]);
      const egress = spec.egress.map((e: Json) => [
        e.to.map((t: Json) => t.ipBlock?.cidr ?? "kube-dns"),
        e.ports.map((p: Json) => `${p.protocol}/${p.port}`),
      ]);
      const oci = config(stack, "oci");
      const databaseSubnet = ofType(run, "oci:Core/subnet:Subnet").find((s) => s.name.endsWith("database"))?.inputs
        .cidrBlock;
      expect(databaseSubnet).to.be.a("string");
      expect(String(databaseSubnet).startsWith(oci.vcnCidr.split(".").slice(0, 2).join("."))).to.equal(true);
      expect(egress).to.deep.equal([
        [["kube-dns"], ["UDP/53", "TCP/53"]],
        [["169.254.170.23/32"], ["TCP/80"]],
        [
          ofType(run, "aws:ec2/subnet:Subnet")
            .filter((s) => (s.inputs.tags as Json).tier === "private")
            .map((s) => s.inputs.cidrBlock),
          ["TCP/443", "TCP/9098"],
        ],
        [[databaseSubnet], ["TCP/1522"]],
        // The issuer's keys, through the corporate egress proxy only.
        [["10.250.1.10/32"], ["TCP/3128"]],
      ]);
      const auth = config(stack, "orders").auth;
      expect(auth.jwksRoute).to.deep.equal({ proxy: "http://10.250.1.10:3128", cidrs: ["10.250.1.10/32"] });
      const env = (named(run, "kubernetes:core/v1:ConfigMap", "orders-config").inputs as Json).data;
      expect(env).to.deep.include({
        ORDERS_AUTH_ISSUER: auth.issuer,
        ORDERS_AUTH_AUDIENCE: auth.audience,
        ORDERS_AUTH_JWKS_URI: auth.jwksUri,
        ORDERS_AUTH_JWKS_PROXY: auth.jwksRoute.proxy,
        ORDERS_AUTH_SCOPE_WRITE: "orders:write",
      });
      expect(
        named(run, "kubernetes:networking.k8s.io/v1:NetworkPolicy", "orders-default-deny").inputs.spec,
      ).to.deep.equal({ podSelector: {}, policyTypes: ["Ingress", "Egress"] });
    });

    it("exposes the service on an internal NLB, scales it between the configured bounds and keeps all but one pod through disruptions", () => {
      const service = named(run, "kubernetes:core/v1:Service", "orders-service").inputs as Json;
      expect(service.spec).to.deep.include({ type: "LoadBalancer", loadBalancerClass: "service.k8s.aws/nlb" });
      expect(service.metadata.annotations["service.beta.kubernetes.io/aws-load-balancer-scheme"]).to.equal("internal");
      // One port: TLS on 443 in prod (the certificate from config), plain 80 in dev; never the admin port.
      const annotations = service.metadata.annotations as Record<string, string>;
      const tls = config(stack, "orders").tls;
      expect(tls.certificateArn).to.match(/^arn:aws:acm:eu-west-1:/);
      if (stack === "prod") {
        expect(service.spec.ports).to.deep.equal([{ name: "https", port: 443, targetPort: "http", protocol: "TCP" }]);
        expect(annotations).to.deep.include({
          "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": tls.certificateArn,
          "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
          "service.beta.kubernetes.io/aws-load-balancer-ssl-negotiation-policy": "ELBSecurityPolicy-TLS13-1-2-2021-06",
        });
        expect(service.spec.loadBalancerSourceRanges).to.deep.equal(config(stack, "orders").callerCidrs);
        // The corporate callers pass the private subnets' ACL on the listener port, and their replies go back.
        const acl = ofType(run, "aws:ec2/networkAcl:NetworkAcl").find((a) => a.name.includes("private"))!
          .inputs as Json;
        expect(acl.ingress).to.deep.include.members([
          {
            ruleNo: acl.ingress.find((r: Json) => r.cidrBlock === "10.250.0.0/16" && r.fromPort === 443)?.ruleNo,
            protocol: "tcp",
            action: "allow",
            cidrBlock: "10.250.0.0/16",
            fromPort: 443,
            toPort: 443,
          },
        ]);
      } else {
        // Dev names no callers: the VPC's range only.
        expect(service.spec.ports).to.deep.equal([{ name: "https", port: 443, targetPort: "http", protocol: "TCP" }]);
        expect(service.spec.loadBalancerSourceRanges).to.deep.equal([config(stack, "aws").vpcCidr]);
      }
      expect(annotations["service.beta.kubernetes.io/aws-load-balancer-target-group-attributes"]).to.equal(
        "deregistration_delay.timeout_seconds=10,preserve_client_ip.enabled=false",
      );
      const hpa = named(run, "kubernetes:autoscaling/v2:HorizontalPodAutoscaler", "orders-hpa").inputs.spec as Json;
      const orders = config(stack, "orders");
      expect([hpa.minReplicas, hpa.maxReplicas, hpa.metrics[0].resource.target.averageUtilization]).to.deep.equal([
        orders.replicas.min,
        orders.replicas.max,
        orders.targetCpuPercent,
      ]);
      expect(
        (named(run, "kubernetes:policy/v1:PodDisruptionBudget", "orders-pdb").inputs.spec as Json).maxUnavailable,
      ).to.equal(1);
      const namespace = named(run, "kubernetes:core/v1:Namespace", "orders-namespace").inputs.metadata as Json;
      expect(namespace.labels["pod-security.kubernetes.io/enforce"]).to.equal("restricted");
    });

    it("pushes the image to an immutable, scanned, KMS-encrypted repository, tagged by the build context's hash", () => {
      const repo = named(run, "aws:ecr/repository:Repository", "orders-image-repository").inputs as Json;
      expect([
        repo.imageTagMutability,
        repo.imageScanningConfiguration.scanOnPush,
        repo.encryptionConfigurations[0].encryptionType,
      ]).to.deep.equal(["IMMUTABLE", true, "KMS"]);
      const image = run.resources.find((r) => r.type === "awsx:ecr:Image");
      expect(image?.inputs.imageTag).to.match(/^src-[0-9a-f]{24}$/);
      // Relative to the project: the same input from every checkout.
      expect([image?.inputs.context, image?.inputs.dockerfile]).to.deep.equal([
        "functions/aws/orders",
        "functions/aws/orders/Dockerfile",
      ]);
    });
  });
}
