// deploy/kubernetes as an operator applies it: each overlay rendered as `kubectl apply -k` would, every
// object checked against the Kubernetes schemas, every pod against the "restricted" Pod Security level,
// and each overlay against what it promises (one SQLite replica; N replicas on PostgreSQL, sharded Discord).
import { readFileSync } from "node:fs";
import type { IDeployment, IStatefulSet } from "kubernetes-models/apps/v1";
import type { IPodDisruptionBudget } from "kubernetes-models/policy/v1";
import type { IContainer, IPersistentVolumeClaim, IPodSpec, IService } from "kubernetes-models/v1";
import { describe, expect, it } from "vitest";
import { REPO_ROOT } from "../helpers.js";
import { type KubeObject, readObjects, renderKustomization } from "./kustomize.js";
import { schemaErrors } from "./schemas.js";

const OVERLAYS = ["single", "replicas"] as const;
const rendered = Object.fromEntries(
  OVERLAYS.map((name) => [name, renderKustomization(`${REPO_ROOT}deploy/kubernetes/overlays/${name}`)]),
) as Record<(typeof OVERLAYS)[number], KubeObject[]>;
const VERSION = (JSON.parse(readFileSync(`${REPO_ROOT}package.json`, "utf8")) as { version: string }).version;

type Workload = IDeployment | IStatefulSet;
type Labels = Record<string, string> | undefined;

const workloads = (objects: KubeObject[]) =>
  objects.filter((o) => o.kind === "Deployment" || o.kind === "StatefulSet") as unknown as Workload[];
const named = <T>(objects: KubeObject[], kind: string, name: string | undefined): T => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined) throw new Error(`no ${kind} named ${name}`);
  return found as unknown as T;
};
const podOf = (w: Workload): IPodSpec => {
  if (w.spec?.template.spec === undefined) throw new Error(`${w.metadata?.name} has no pod template`);
  return w.spec.template.spec;
};
const containersOf = (w: Workload): IContainer[] => podOf(w).containers;
const envOf = (c: IContainer) => Object.fromEntries((c.env ?? []).map((e) => [e.name, e]));
const podLabels = (w: Workload): Labels => w.spec?.template.metadata?.labels;
/** True when every label the selector asks for is on `labels`. */
const selects = (selector: Labels, labels: Labels) =>
  selector !== undefined && Object.entries(selector).every(([k, v]) => labels?.[k] === v);

/** Volume types the restricted level allows. */
const RESTRICTED_VOLUMES = new Set([
  "configMap",
  "csi",
  "downwardAPI",
  "emptyDir",
  "ephemeral",
  "persistentVolumeClaim",
  "projected",
  "secret",
]);

/**
 * How a pod spec breaks the "restricted" Pod Security level (kubernetes.io/docs/concepts/security/
 * pod-security-standards), baseline rules included, plus what this project asks on top: no service account
 * token and a read-only root filesystem.
 */
function podSecurityViolations(spec: IPodSpec): string[] {
  const out: string[] = [];
  const pod = spec.securityContext ?? {};
  if (spec.hostNetwork === true) out.push("hostNetwork is on");
  if (spec.hostPID === true) out.push("hostPID is on");
  if (spec.hostIPC === true) out.push("hostIPC is on");
  for (const v of spec.volumes ?? []) {
    const type = Object.keys(v).find((k) => k !== "name");
    if (type === undefined || !RESTRICTED_VOLUMES.has(type)) out.push(`volume ${v.name} is of type ${type}`);
  }
  if (spec.automountServiceAccountToken !== false) out.push("the service account token is mounted");
  if (pod.runAsUser === 0) out.push("the pod runs as user 0");
  for (const c of [...(spec.initContainers ?? []), ...spec.containers]) {
    const sc = c.securityContext ?? {};
    const name = `container ${c.name}`;
    if (sc.privileged === true) out.push(`${name} is privileged`);
    if (sc.allowPrivilegeEscalation !== false) out.push(`${name} may escalate privileges`);
    if ((sc.runAsNonRoot ?? pod.runAsNonRoot) !== true) out.push(`${name} may run as root`);
    if (sc.runAsUser === 0) out.push(`${name} runs as user 0`);
    const seccomp = sc.seccompProfile?.type ?? pod.seccompProfile?.type;
    if (seccomp !== "RuntimeDefault" && seccomp !== "Localhost") out.push(`${name} has no seccomp profile`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) out.push(`${name} does not drop ALL capabilities`);
    for (const cap of sc.capabilities?.add ?? [])
      if (cap !== "NET_BIND_SERVICE") out.push(`${name} adds ${cap}`);
    if (sc.procMount !== undefined && sc.procMount !== "Default") out.push(`${name} unmasks /proc`);
    for (const port of c.ports ?? []) if (port.hostPort) out.push(`${name} binds host port ${port.hostPort}`);
    if (sc.readOnlyRootFilesystem !== true) out.push(`${name} can write its root filesystem`);
  }
  return out;
}

describe.each(OVERLAYS)("the %s overlay", (overlay) => {
  const objects = rendered[overlay];

  it("renders objects that all match the Kubernetes schemas, with no unknown field", () => {
    expect(objects.length).toBeGreaterThan(3);
    for (const o of objects) expect(schemaErrors(o), `${o.kind} ${o.metadata.name}`).toEqual([]);
  });

  it("runs every pod at the restricted Pod Security level, in a namespace that enforces it", () => {
    const namespaces = objects.filter((o) => o.kind === "Namespace");
    expect(namespaces).toHaveLength(1);
    expect(namespaces[0]?.metadata.labels).toMatchObject({
      "pod-security.kubernetes.io/enforce": "restricted",
    });
    for (const o of objects) {
      if (o.kind !== "Namespace") expect(o.metadata.namespace).toBe(namespaces[0]?.metadata.name);
    }
    expect(workloads(objects).length).toBeGreaterThan(0);
    for (const w of workloads(objects)) expect(podSecurityViolations(podOf(w)), w.metadata?.name).toEqual([]);
  });

  it("runs the image pinned to this release, never latest", () => {
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) expect(c.image).toBe(`ghcr.io/your-org/mesh-glossary-bot:${VERSION}`);
    }
  });

  it("requests memory and CPU and limits memory, the request below the limit", () => {
    const mebibytes = (q: unknown) => Number(/^(\d+)Mi$/.exec(String(q))?.[1]);
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        expect(c.resources?.requests?.cpu).toBeDefined();
        expect(mebibytes(c.resources?.requests?.memory)).toBeLessThan(mebibytes(c.resources?.limits?.memory));
      }
    }
  });

  it("probes readiness on /readyz and liveness on /healthz, on the port the bot listens on", () => {
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        const port = c.ports?.find((p) => p.name === "http");
        expect(String(port?.containerPort)).toBe(envOf(c).PORT?.value);
        expect(c.readinessProbe?.httpGet).toEqual({ path: "/readyz", port: "http" });
        expect(c.livenessProbe?.httpGet).toEqual({ path: "/healthz", port: "http" });
      }
    }
  });

  it("sends the Service to the bot's pods, on their http port", () => {
    const service = named<IService>(objects, "Service", "mesh-glossary-bot");
    const bot = named<IDeployment>(objects, "Deployment", "mesh-glossary-bot");
    expect(selects(service.spec?.selector, podLabels(bot))).toBe(true);
    expect(service.spec?.ports).toEqual([{ name: "http", port: 80, targetPort: "http" }]);
    for (const w of workloads(objects))
      expect(selects(w.spec?.selector.matchLabels, podLabels(w))).toBe(true);
  });

  it("reads only Secrets that its secrets.example.yaml shows, holding settings the bot knows", () => {
    const examples = readObjects(`${REPO_ROOT}deploy/kubernetes/overlays/${overlay}/secrets.example.yaml`);
    for (const secret of examples) expect(schemaErrors(secret), secret.metadata.name).toEqual([]);
    const shown = new Map(examples.map((s) => [s.metadata.name, Object.keys(s.stringData as object)]));
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        for (const from of c.envFrom ?? []) expect([...shown.keys()]).toContain(from.secretRef?.name);
      }
    }
    for (const keys of shown.values()) {
      for (const key of keys) expect(key).toMatch(/^(SLACK|DISCORD)_[A-Z_]+$|^DATABASE_URL$/);
    }
  });

  it("takes the settings from Secrets only: no token, secret or DATABASE_URL under env", () => {
    for (const w of workloads(objects)) {
      for (const c of containersOf(w)) {
        expect(c.envFrom?.every((from) => from.secretRef !== undefined)).toBe(true);
        const names = Object.keys(envOf(c));
        expect(names.filter((n) => /TOKEN|SECRET|DATABASE_URL|APPLICATION_ID/.test(n))).toEqual([]);
      }
    }
  });
});

describe("the single overlay", () => {
  const objects = rendered.single;

  it("runs one replica, replaced by Recreate, with its SQLite state on a volume at /app/data", () => {
    expect(workloads(objects).map((w) => w.kind)).toEqual(["Deployment"]);
    const bot = named<IDeployment>(objects, "Deployment", "mesh-glossary-bot");
    expect(bot.spec?.replicas).toBe(1);
    expect(bot.spec?.strategy).toEqual({ type: "Recreate" });
    const pod = podOf(bot);
    const volume = pod.volumes?.find((v) => v.persistentVolumeClaim !== undefined);
    const claim = named<IPersistentVolumeClaim>(
      objects,
      "PersistentVolumeClaim",
      volume?.persistentVolumeClaim?.claimName,
    );
    expect(claim.spec?.accessModes).toEqual(["ReadWriteOnce"]);
    // The default DATABASE_URL is sqlite:./data/mesh.db, from the image's working directory /app.
    expect(pod.containers[0]?.volumeMounts).toContainEqual({ name: volume?.name, mountPath: "/app/data" });
    expect(pod.securityContext?.fsGroup).toBe(1000);
  });
});

describe("the replicas overlay", () => {
  const objects = rendered.replicas;
  const slack = named<IDeployment>(objects, "Deployment", "mesh-glossary-bot");
  const discord = named<IStatefulSet>(objects, "StatefulSet", "mesh-glossary-bot-discord");

  it("keeps no state in the pods: no volume claim, and DATABASE_URL only from the database Secret", () => {
    expect(objects.filter((o) => o.kind === "PersistentVolumeClaim")).toEqual([]);
    expect(discord.spec?.volumeClaimTemplates).toBeUndefined();
    for (const w of workloads(objects)) {
      expect(podOf(w).volumes?.filter((v) => v.persistentVolumeClaim !== undefined)).toEqual([]);
      for (const c of containersOf(w)) {
        expect(Object.keys(envOf(c))).not.toContain("DATABASE_URL");
        // Required, not optional: without it a pod waits for it instead of falling back to SQLite.
        expect(c.envFrom).toContainEqual({ secretRef: { name: "mesh-glossary-bot-database" } });
      }
    }
  });

  it("runs several Slack replicas behind the Service, rolled one at a time, each ready first", () => {
    expect(slack.spec?.replicas).toBeGreaterThan(1);
    expect(slack.spec?.strategy).toEqual({
      type: "RollingUpdate",
      rollingUpdate: { maxUnavailable: 0, maxSurge: 1 },
    });
    expect(containersOf(slack)[0]?.envFrom).toEqual([
      { secretRef: { name: "mesh-glossary-bot-slack" } },
      { secretRef: { name: "mesh-glossary-bot-database" } },
    ]);
  });

  it("covers every workload's pods with a disruption budget", () => {
    const budgets = objects.filter(
      (o) => o.kind === "PodDisruptionBudget",
    ) as unknown as IPodDisruptionBudget[];
    for (const w of workloads(objects)) {
      const covering = budgets.filter((b) => selects(b.spec?.selector?.matchLabels, podLabels(w)));
      expect(covering, w.metadata?.name).toHaveLength(1);
      expect(covering[0]?.spec?.maxUnavailable).toBe(1);
    }
  });

  it("runs Discord as one gateway shard per StatefulSet pod, numbered by the pod's index", () => {
    expect(discord.spec?.serviceName).toBe("mesh-glossary-bot-discord");
    expect(named<IService>(objects, "Service", "mesh-glossary-bot-discord").spec?.clusterIP).toBe("None");
    const container = containersOf(discord)[0];
    if (container === undefined) throw new Error("no container");
    const env = envOf(container);
    expect(env.DISCORD_SHARD_ID?.valueFrom).toEqual({
      fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" },
    });
    expect(Number(env.DISCORD_SHARD_COUNT?.value)).toBe(discord.spec?.replicas);
    expect(discord.spec?.replicas).toBeGreaterThan(1);
    expect(container.envFrom).toEqual([
      { secretRef: { name: "mesh-glossary-bot-discord" } },
      { secretRef: { name: "mesh-glossary-bot-database" } },
    ]);
    // The Slack replicas never read the Discord Secret, so they open no gateway session of their own.
    expect(JSON.stringify(podOf(slack))).not.toContain("mesh-glossary-bot-discord");
  });
});

describe("the checks themselves", () => {
  it("report a misspelt field and a wrong type as schema errors", () => {
    const bad = structuredClone(named<IDeployment>(rendered.single, "Deployment", "mesh-glossary-bot"));
    const container = podOf(bad).containers[0] as IContainer & Record<string, unknown>;
    container.readinesProbe = container.readinessProbe;
    container.ports = [{ name: "http", containerPort: "3000" as unknown as number }];
    const errors = schemaErrors(bad as unknown as KubeObject);
    expect(errors).toContain("/spec/template/spec/containers/0/readinesProbe is not a field of Deployment");
    expect(errors.join("\n")).toContain("containerPort must be integer");
  });

  it("report each way a pod breaks the restricted level", () => {
    const pod: IPodSpec = {
      hostNetwork: true,
      volumes: [{ name: "host", hostPath: { path: "/" } }],
      containers: [{ name: "bot", securityContext: { capabilities: { add: ["SYS_ADMIN"] } } }],
    };
    expect(podSecurityViolations(pod)).toEqual([
      "hostNetwork is on",
      "volume host is of type hostPath",
      "the service account token is mounted",
      "container bot may escalate privileges",
      "container bot may run as root",
      "container bot has no seccomp profile",
      "container bot does not drop ALL capabilities",
      "container bot adds SYS_ADMIN",
      "container bot can write its root filesystem",
    ]);
  });
});
