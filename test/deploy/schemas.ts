// Validates rendered objects against the Kubernetes OpenAPI schemas that the kubernetes-models package
// compiles, offline. Those schemas let unknown fields through, as the API server's strict field validation
// would not: a misspelt `readinesProbe` would pass. So the validator runs over a proxy that records every
// field the schema looked at, and any field it never looked at is reported as unknown.
import { Deployment, StatefulSet } from "kubernetes-models/apps/v1";
import { PodDisruptionBudget } from "kubernetes-models/policy/v1";
import { Namespace, PersistentVolumeClaim, Secret, Service, ServiceAccount } from "kubernetes-models/v1";
import type { KubeObject } from "./kustomize.js";

/** The model of each apiVersion/kind the manifests use. */
const MODELS: Record<string, { prototype: { validate(): void } }> = {
  "apps/v1/Deployment": Deployment,
  "apps/v1/StatefulSet": StatefulSet,
  "policy/v1/PodDisruptionBudget": PodDisruptionBudget,
  "v1/Namespace": Namespace,
  "v1/PersistentVolumeClaim": PersistentVolumeClaim,
  "v1/Secret": Secret,
  "v1/Service": Service,
  "v1/ServiceAccount": ServiceAccount,
};

/** What is wrong with an object by the schemas: type and enum errors, missing and unknown fields. */
export function schemaErrors(object: KubeObject): string[] {
  const model = MODELS[`${object.apiVersion}/${object.kind}`];
  if (model === undefined) return [`${object.apiVersion} ${object.kind} has no schema here`];
  const read = new WeakMap<object, Set<string>>();
  const errors: string[] = [];
  try {
    model.prototype.validate.call(recording(object, read));
  } catch (error) {
    errors.push(error instanceof Error ? error.message : String(error));
  }
  return [...errors, ...unread(object, read, "").map((path) => `${path} is not a field of ${object.kind}`)];
}

/** A view of `value` that notes, for each object in it, which of its fields were read. */
function recording(value: unknown, read: WeakMap<object, Set<string>>): unknown {
  if (typeof value !== "object" || value === null) return value;
  return new Proxy(value, {
    get(target, key, receiver) {
      if (typeof key === "string") {
        const keys = read.get(target) ?? new Set<string>();
        keys.add(key);
        read.set(target, keys);
      }
      return recording(Reflect.get(target, key, receiver), read);
    },
  });
}

/** Paths of the fields present in `value` that the schema never read. */
function unread(value: unknown, read: WeakMap<object, Set<string>>, path: string): string[] {
  if (typeof value !== "object" || value === null) return [];
  if (Array.isArray(value)) return value.flatMap((item, i) => unread(item, read, `${path}/${i}`));
  const keys = read.get(value) ?? new Set<string>();
  return Object.entries(value).flatMap(([key, child]) =>
    keys.has(key) ? unread(child, read, `${path}/${key}`) : [`${path}/${key}`],
  );
}
