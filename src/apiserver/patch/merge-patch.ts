/**
 * JSON merge patch (RFC 7386), the `application/merge-patch+json` PATCH type: objects merge
 * recursively, `null` deletes a key, and anything else (arrays included) replaces the target.
 */
import { cloneJson, isJsonObject, setOwn, type JsonObject } from './json.ts';

export function applyMergePatch(target: unknown, patch: unknown): unknown {
  return mergeInto(cloneJson(target), cloneJson(patch));
}

/** Works on private copies, so it may reuse and modify both arguments. */
function mergeInto(target: unknown, patch: unknown): unknown {
  if (!isJsonObject(patch)) return patch;
  const result: JsonObject = isJsonObject(target) ? target : {};
  for (const [key, value] of Object.entries(patch)) {
    if (value === null) {
      delete result[key];
    } else {
      setOwn(result, key, mergeInto(Object.hasOwn(result, key) ? result[key] : undefined, value));
    }
  }
  return result;
}
