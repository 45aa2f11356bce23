/** The EKS and order-service decisions, pure: endpoint access, kubeconfig, trust, add-on pins, endpoint uses, image identity, the service's settings contract. */
import { expect } from "chai";
import { MODEL_URI, RECOMMEND_MAX_BATCH } from "../../components/config/recommendations";
import { ANOMALY_MAX_BATCH } from "../../components/config/streaming";
import { OBJECT_STORAGE_URI } from "../../functions/aws/migrate/contract";
import { RECOMMEND_LIMITS } from "../../functions/oci/recommend/contract";
import { ANOMALY_LIMITS } from "../../functions/oci/anomaly/contract";
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { POOL_SIZE_BOUNDS } from "../../components/config/orders";
import { addonRegistryAccount, addonVersion, ADDON_NAMES, ADDON_VERSIONS } from "../../components/eks/addons";
import { endpointAccess, nodeEndpointUses, observabilityPolicy } from "../../components/eks/eksCluster";
import { kubeconfig } from "../../components/eks/kubeconfig";
import { loadBalancerControllerPolicy } from "../../components/eks/loadBalancerController";
import { podIdentityTrustPolicy } from "../../components/shared/podIdentity";
import { admits, endpointPolicy } from "../../components/network/endpoints";
import { lifecyclePolicy, requireDigest } from "../../components/orders/orderImage";
import {
  intakeKafkaPolicy,
  serviceAnnotations,
  serviceListenerPort,
  servicePort,
  serviceEnvironment,
} from "../../components/orders/orderService";
import { networkPolicySpec, secretReadPolicy, topologySpread } from "../../components/shared/kubernetes";
import { buildContextHash, contextTag } from "../../components/shared/buildContext";
import { inBuildContext, ORDERS_LIMITS } from "../../functions/aws/orders/contract";
import { serviceSettings } from "../../functions/aws/orders/settings";
import { AUTH_DEFAULTS, CLAIM_NAME, SCOPE_NAME } from "../../functions/aws/orders/contract";
import {
  AUTH_NAME_DEFAULTS,
  CLAIM_NAME_PATTERN,
  CONFIG_ORDER_CURRENCIES,
  SCOPE_NAME_PATTERN,
} from "../../components/config/orders";
import { LISTABLE_CURRENCIES } from "../../functions/aws/orders/currencies";

const CTX = { accountId: "111122223333", partition: "aws", region: "eu-west-1" };

describe("EKS decisions (pure)", () => {
  it("turns endpoint access into the cluster's endpoint settings: private always on, public only with the runner's blocks", () => {
    expect(endpointAccess({ access: "private", deployerCidrs: ["10.250.0.0/24"] })).to.deep.equal({
      endpointPrivateAccess: true,
      endpointPublicAccess: false,
    });
    expect(endpointAccess({ access: "public", deployerCidrs: ["198.51.100.16/28"] })).to.deep.equal({
      endpointPrivateAccess: true,
      endpointPublicAccess: true,
      publicAccessCidrs: ["198.51.100.16/28"],
    });
  });

  it("builds a kubeconfig from the cluster's outputs with an aws eks get-token exec, no ambient config", () => {
    const config = JSON.parse(
      kubeconfig({
        clusterName: "c1",
        endpoint: "https://x.eks.amazonaws.com",
        certificateAuthorityData: "Q0E=",
        region: "eu-west-1",
      }),
    );
    expect(config.clusters[0].cluster).to.deep.equal({
      server: "https://x.eks.amazonaws.com",
      "certificate-authority-data": "Q0E=",
    });
    expect(config.users[0].user.exec).to.deep.include({
      command: "aws",
      args: ["eks", "get-token", "--cluster-name", "c1", "--region", "eu-west-1", "--output", "json"],
      interactiveMode: "Never",
    });
    expect(config["current-context"]).to.equal("eks-c1");
  });

  it("lets only the named service account of the named namespace of this cluster assume a pod role", () => {
    const trust = JSON.parse(
      podIdentityTrustPolicy({
        ...CTX,
        clusterArn: "arn:aws:eks:eu-west-1:111122223333:cluster/c1",
        namespace: "orders",
        serviceAccount: "orders-api",
      }),
    ).Statement[0];
    expect(trust.Action).to.deep.equal(["sts:AssumeRole", "sts:TagSession"]);
    expect(trust.Condition).to.deep.equal({
      StringEquals: {
        "aws:SourceAccount": "111122223333",
        "aws:RequestTag/kubernetes-namespace": "orders",
        "aws:RequestTag/kubernetes-service-account": "orders-api",
      },
      ArnEquals: { "aws:SourceArn": "arn:aws:eks:eu-west-1:111122223333:cluster/c1" },
    });
  });

  it("pins every add-on for every supported version in EKS's version format, and refuses a version without pins", () => {
    for (const [version, row] of Object.entries(ADDON_VERSIONS)) {
      expect(Object.keys(row).sort(), version).to.deep.equal([...ADDON_NAMES].sort());
      for (const v of Object.values(row)) expect(v).to.match(/^v\d+\.\d+\.\d+-eksbuild\.\d+$/);
    }
    expect(addonVersion("1.35", "kube-proxy")).to.match(/^v1\.35\./);
    expect(() => addonVersion("1.99" as "1.35", "coredns")).to.throw(
      "no add-on versions are pinned for Kubernetes 1.99",
    );
  });

  it("knows where the add-on images come from", () => {
    expect(addonRegistryAccount("eu-west-1")).to.equal("602401143452");
    expect(addonRegistryAccount("af-south-1")).to.equal("877085696533");
  });

  it("lets the nodes log in to ECR, pull add-on images and fetch layers through the endpoints, and nothing else", () => {
    const uses = nodeEndpointUses(CTX, "c1");
    const api = endpointPolicy("ecr.api", uses, CTX.accountId);
    const dkr = endpointPolicy("ecr.dkr", uses, CTX.accountId);
    const s3 = endpointPolicy("s3", uses, CTX.accountId);
    expect(admits(api, "ecr:GetAuthorizationToken", "*", CTX.accountId)).to.equal(true);
    expect(
      admits(dkr, "ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:602401143452:repository/eks/coredns", CTX.accountId),
    ).to.equal(true);
    expect(
      admits(dkr, "ecr:BatchGetImage", "arn:aws:ecr:eu-west-1:999999999999:repository/evil", CTX.accountId),
    ).to.equal(false);
    expect(
      admits(dkr, "ecr:PutImage", "arn:aws:ecr:eu-west-1:602401143452:repository/eks/coredns", CTX.accountId),
    ).to.equal(false);
    expect(
      admits(s3, "s3:GetObject", "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/sha256/abc", CTX.accountId),
    ).to.equal(true);
    expect(admits(s3, "s3:PutObject", "arn:aws:s3:::prod-eu-west-1-starport-layer-bucket/x", CTX.accountId)).to.equal(
      false,
    );
    const logs = endpointPolicy("logs", uses, CTX.accountId);
    const group = "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/containerinsights/c1/application";
    expect(admits(logs, "logs:PutLogEvents", `${group}:log-stream:ip-10-0-1-1`, CTX.accountId)).to.equal(true);
    expect(
      admits(
        logs,
        "logs:PutLogEvents",
        "arn:aws:logs:eu-west-1:111122223333:log-group:/aws/lambda/other:log-stream:x",
        CTX.accountId,
      ),
    ).to.equal(false);
    expect(admits(logs, "logs:DeleteLogGroup", group, CTX.accountId)).to.equal(false);
  });

  it("lets the log agents write to the cluster's four Container Insights groups and publish ContainerInsights metrics only", () => {
    const statements = JSON.parse(observabilityPolicy(CTX, "c1")).Statement as Array<{
      Sid: string;
      Action: string[];
      Resource: string | string[];
      Condition?: object;
    }>;
    const resources = statements.find((s) => s.Sid === "ContainerLogStreams")?.Resource as string[];
    expect(resources.map((r) => r.split(":log-group:")[1])).to.deep.equal(
      ["application", "dataplane", "host", "performance"].map((k) => `/aws/containerinsights/c1/${k}:log-stream:*`),
    );
    expect(statements.find((s) => s.Sid === "ContainerInsightsMetrics")?.Condition).to.deep.equal({
      StringEquals: { "cloudwatch:namespace": "ContainerInsights" },
    });
    expect(statements.flatMap((s) => s.Action).filter((a) => a.endsWith("*"))).to.deep.equal([]);
  });

  it("refuses a '*' resource in an endpoint use unless the use says why", () => {
    const use = { service: "ecr.api" as const, by: "x", actions: ["ecr:DescribeImages"], resources: ["*"] };
    expect(() => endpointPolicy("ecr.api", [use], CTX.accountId)).to.throw(
      "x: endpoint uses name exact actions and resources",
    );
    expect(() => endpointPolicy("ecr.api", [{ ...use, actions: ["s3:GetObject"] }], CTX.accountId)).to.throw(
      "only ecr: actions go through it",
    );
    expect(endpointPolicy("ecr.api", [{ ...use, anyResourceBecause: "reason" }], CTX.accountId)).to.contain(
      '"Resource":["*"]',
    );
  });

  it("keeps the load balancer controller to NLBs: no ALB-only services, writes conditioned on its cluster tag", () => {
    const statements = JSON.parse(loadBalancerControllerPolicy("aws")).Statement as Array<{
      Sid: string;
      Action: string[];
      Condition?: object;
    }>;
    const actions = statements.flatMap((s) => s.Action);
    expect(actions.filter((a) => /^(wafv2|waf-regional|shield|cognito-idp|acm):/.test(a))).to.deep.equal([]);
    for (const sid of ["OwnSecurityGroups", "CreateTaggedLoadBalancers", "ManageOwnLoadBalancers"])
      expect(statements.find((s) => s.Sid === sid)?.Condition, sid).to.not.equal(undefined);
  });
});

describe("order service infrastructure decisions (pure)", () => {
  it("hands the service exactly the settings it reads (the ConfigMap round-trips through its own parser)", () => {
    const settings = {
      replicas: { min: 2, max: 4 },
      targetCpuPercent: 70,
      pool: { size: 8, queueTimeoutMs: 400, callTimeoutMs: 3000 },
      auth: {
        issuer: "https://login.example.com/oauth2/dev",
        audience: "orders-api-dev",
        jwksUri: "https://login.example.com/oauth2/dev/v1/keys",
        jwksRoute: { proxy: "http://10.250.1.10:3128", cidrs: ["10.250.1.10/32"] },
        scopes: { read: "orders.read", write: "orders.write", admin: "orders.admin" },
        customerClaim: "cust",
        clientClaim: "client_id",
      },
      currencies: ["EUR", "USD", "JPY"],
      minimumAmount: "1.00",
    };
    const arn = "arn:aws:secretsmanager:eu-west-1:111122223333:secret:multicloud-dev/database/app-AbCdEf";
    const brokers =
      "b-1.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098,b-2.orders.abc123.c2.kafka.eu-west-1.amazonaws.com:9098";
    const parsed = serviceSettings(serviceEnvironment(settings, arn, "eu-west-1", brokers));
    expect(parsed).to.deep.include({
      secretArn: arn,
      region: "eu-west-1",
      port: 8080,
      drainSeconds: 20,
      kafkaAuth: "iam",
    });
    expect(parsed.brokers).to.deep.equal(brokers.split(","));
    expect(parsed.pool).to.deep.include({ size: 8, queueTimeoutMs: 400, callTimeoutMs: 3000 });
    expect(parsed.auth).to.deep.equal({
      issuer: "https://login.example.com/oauth2/dev",
      audience: "orders-api-dev",
      jwksUri: "https://login.example.com/oauth2/dev/v1/keys",
      jwksProxy: "http://10.250.1.10:3128",
      scopes: { read: "orders.read", write: "orders.write", admin: "orders.admin" },
      customerClaim: "cust",
      clientClaim: "client_id",
    });
    expect(parsed.rules).to.deep.equal({
      currencies: new Map([
        ["EUR", 2],
        ["USD", 2],
        ["JPY", 0],
      ]),
      minimumAmount: "1.00",
    });
  });

  it("bounds the pool size in config as the service does", () => {
    expect([POOL_SIZE_BOUNDS.min, POOL_SIZE_BOUNDS.max]).to.deep.equal([
      ORDERS_LIMITS.minPoolSize,
      ORDERS_LIMITS.maxPoolSize,
    ]);
  });

  it("lets the API publish to the orders topic only: connect, write idempotently, nothing to read", () => {
    const [connect, publish] = intakeKafkaPolicy(
      "arn:aws:kafka:eu-west-1:111122223333:cluster/c/u",
      "arn:aws:kafka:eu-west-1:111122223333:topic/c/u/orders",
    ) as Array<{ Action: string[]; Resource: string[] }>;
    expect(connect).to.deep.include({
      Action: ["kafka-cluster:Connect", "kafka-cluster:WriteDataIdempotently"],
      Resource: ["arn:aws:kafka:eu-west-1:111122223333:cluster/c/u"],
    });
    expect(publish).to.deep.include({
      Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
      Resource: ["arn:aws:kafka:eu-west-1:111122223333:topic/c/u/orders"],
    });
  });

  it("reads one secret and decrypts only through Secrets Manager", () => {
    const policy = JSON.parse(secretReadPolicy("arn:s", "arn:k", "eu-west-1")).Statement;
    expect(policy[1].Condition).to.deep.equal({
      StringEquals: { "kms:ViaService": "secretsmanager.eu-west-1.amazonaws.com" },
    });
    expect(policy.map((s: { Resource: string[] }) => s.Resource)).to.deep.equal([["arn:s"], ["arn:k"]]);
  });

  it("agrees with the service on the currency allowlist (config cannot import the service)", () => {
    expect([...CONFIG_ORDER_CURRENCIES].sort()).to.deep.equal([...LISTABLE_CURRENCIES.keys()].sort());
  });

  it("agrees with the service on scope and claim names (config cannot import the contract)", () => {
    expect(AUTH_NAME_DEFAULTS).to.deep.equal(AUTH_DEFAULTS);
    expect(SCOPE_NAME_PATTERN.source).to.equal(SCOPE_NAME.source);
    expect(CLAIM_NAME_PATTERN.source).to.equal(CLAIM_NAME.source);
  });

  it("listens with TLS on 443 when a certificate is configured, on 80 only without one; never on the admin port", () => {
    const base = { tls: undefined } as unknown as Parameters<typeof servicePort>[0];
    expect(servicePort(base)).to.deep.equal({ name: "http", port: 80, targetPort: "http", protocol: "TCP" });
    expect(serviceAnnotations(base)).to.not.have.property("service.beta.kubernetes.io/aws-load-balancer-ssl-cert");
    const arn = "arn:aws:acm:eu-west-1:111122223333:certificate/3f1c2a4e-8b7d-4e52-9a61-0c5d7e9f2b13";
    const withTls = { tls: { certificateArn: arn } } as unknown as Parameters<typeof servicePort>[0];
    expect(servicePort(withTls)).to.deep.equal({ name: "https", port: 443, targetPort: "http", protocol: "TCP" });
    expect(serviceListenerPort(withTls)).to.equal(443);
    expect(serviceAnnotations(withTls)).to.deep.include({
      "service.beta.kubernetes.io/aws-load-balancer-ssl-cert": arn,
      "service.beta.kubernetes.io/aws-load-balancer-ssl-ports": "https",
      "service.beta.kubernetes.io/aws-load-balancer-healthcheck-port": "8080",
    });
  });

  it("spreads pods strictly across zones in prod, as a preference elsewhere", () => {
    expect(topologySpread(true, "orders-api")[0].whenUnsatisfiable).to.equal("DoNotSchedule");
    expect(topologySpread(false, "orders-api")[0].whenUnsatisfiable).to.equal("ScheduleAnyway");
  });

  it("writes one egress rule per destination, the endpoints by subnet", () => {
    const spec = networkPolicySpec({
      app: "orders-api",
      ingress: { cidrs: ["10.0.0.0/20", "10.0.16.0/20"], ports: [8080, 9102] },
      endpointCidrs: ["10.0.0.0/20", "10.0.16.0/20"],
      databaseCidr: "10.20.0.0/24",
    });
    expect(spec.egress).to.have.length(4);
    expect(JSON.stringify(spec)).to.not.contain("0.0.0.0/0");
    // The API also fetches its issuer's keys: one rule to the proxy's range on the proxy's port, nothing wider.
    const api = networkPolicySpec({
      app: "orders-api",
      ingress: { cidrs: ["10.0.0.0/20", "10.0.16.0/20"], ports: [8080, 9102] },
      endpointCidrs: ["10.0.0.0/20"],
      databaseCidr: "10.20.0.0/24",
      jwks: { cidrs: ["10.250.1.10/32"], port: 3128 },
    });
    expect(api.egress).to.have.length(5);
    expect((api.egress as unknown[])[4]).to.deep.equal({
      to: [{ ipBlock: { cidr: "10.250.1.10/32" } }],
      ports: [{ protocol: "TCP", port: 3128 }],
    });
  });

  it("keeps the newest images and expires the rest", () => {
    expect(JSON.parse(lifecyclePolicy()).rules[0]).to.deep.include({
      selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
      action: { type: "expire" },
    });
  });

  it("accepts only a digest reference from the image build", () => {
    const digest = `1.dkr.ecr.eu-west-1.amazonaws.com/x@sha256:${"b".repeat(64)}`;
    expect(requireDigest(digest)).to.equal(digest);
    expect(() => requireDigest("1.dkr.ecr.eu-west-1.amazonaws.com/x:latest")).to.throw("not a digest reference");
  });

  it("tags the image by its build context: a source change changes the tag, an unrelated file does not", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "ctx-"));
    writeFileSync(path.join(dir, "Dockerfile"), "FROM scratch\n");
    writeFileSync(path.join(dir, "server.ts"), "export {};\n");
    const first = buildContextHash(dir, inBuildContext);
    writeFileSync(path.join(dir, "notes.md"), "not in the image\n");
    expect(buildContextHash(dir, inBuildContext)).to.equal(first);
    writeFileSync(path.join(dir, "server.ts"), "export const x = 1;\n");
    const second = buildContextHash(dir, inBuildContext);
    expect(second).to.not.equal(first);
    expect(contextTag(second)).to.equal(`src-${second.slice(0, 24)}`);
    expect(() => buildContextHash(dir, () => false)).to.throw("holds no file the image uses");
  });
});

describe("the OCI functions' limits (pure)", () => {
  it("bounds Connector Hub's batches in config as the functions do", () => {
    expect(ANOMALY_MAX_BATCH).to.equal(ANOMALY_LIMITS.maxBatch);
    expect(RECOMMEND_MAX_BATCH).to.equal(RECOMMEND_LIMITS.maxBatch);
  });

  it("accepts in config exactly the embedding model URIs the migration function accepts", () => {
    expect(MODEL_URI.source).to.equal(OBJECT_STORAGE_URI.source);
  });
});
