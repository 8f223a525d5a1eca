/**
 * JSON patch (RFC 6902), the `application/json-patch+json` PATCH type, applied with fast-json-patch.
 * A patch that is not a list of well-formed operations is a 400; an operation that cannot apply
 * to the object (missing path, failed `test`) is a 422, worded as evanphx/json-patch (which
 * kube-apiserver uses) words it.
 */
import jsonpatch from 'fast-json-patch';
import type { Operation } from 'fast-json-patch';
import { malformedPatch, unappliablePatch, type PatchError } from './errors.ts';
import { cloneJson, isJsonObject } from './json.ts';

const operationNames = ['add', 'remove', 'replace', 'move', 'copy', 'test'] as const;
type OperationName = (typeof operationNames)[number];

export function applyJsonPatch(target: unknown, operations: unknown): unknown {
  const parsed = parseOperations(operations);
  let document = cloneJson(target);
  parsed.forEach((operation, index) => {
    try {
      document = jsonpatch.applyOperation(document, operation, true, true, true, index).newDocument;
    } catch (error) {
      throw describeFailure(operation, error);
    }
  });
  return document;
}

function parseOperations(operations: unknown): Operation[] {
  // A JSON `null` decodes to an empty jsonpatch.Patch upstream: nothing to do.
  if (operations === null) return [];
  if (!Array.isArray(operations)) {
    throw malformedPatch(
      `json: cannot unmarshal ${goJsonType(operations)} into Go value of type jsonpatch.Patch`,
    );
  }
  return operations.map((operation: unknown, index) => parseOperation(operation, index));
}

function parseOperation(operation: unknown, index: number): Operation {
  if (!isJsonObject(operation)) {
    throw malformedPatch(
      `json: cannot unmarshal ${goJsonType(operation)} into Go value of type jsonpatch.Operation`,
    );
  }
  const op = operation['op'];
  if (typeof op !== 'string' || !isOperationName(op)) {
    throw malformedPatch(
      `Unexpected kind: ${typeof op === 'string' ? op : 'unknown'} (operation ${index}; supported: ${operationNames.join(', ')})`,
    );
  }
  const path = operation['path'];
  if (typeof path !== 'string') {
    throw malformedPatch(`${op} operation missing path field: missing value (operation ${index})`);
  }
  assertPointer(op, 'path', path, index);
  if (op === 'move' || op === 'copy') {
    const from = operation['from'];
    if (typeof from !== 'string') {
      throw malformedPatch(`${op} operation, missing from field: missing value (operation ${index})`);
    }
    assertPointer(op, 'from', from, index);
  }
  if ((op === 'add' || op === 'replace' || op === 'test') && !Object.hasOwn(operation, 'value')) {
    throw malformedPatch(`${op} operation, missing value field: missing value (operation ${index})`);
  }
  return cloneJson(operation) as unknown as Operation;
}

function isOperationName(op: string): op is OperationName {
  return (operationNames as readonly string[]).includes(op);
}

function assertPointer(op: string, field: string, pointer: string, index: number): void {
  if (pointer !== '' && !pointer.startsWith('/')) {
    throw malformedPatch(
      `${op} operation ${field} "${pointer}" is not a JSON pointer: it must be empty or start with "/" (operation ${index})`,
    );
  }
}

function describeFailure(operation: Operation, error: unknown): PatchError {
  const { op, path } = operation;
  const from = 'from' in operation ? operation.from : '';
  const name = error instanceof jsonpatch.JsonPatchError ? error.name : 'UNKNOWN';
  const missing = (what: string, pointer: string): PatchError =>
    unappliablePatch(`${op} operation does not apply: doc is missing ${what}: ${pointer}: missing value`);
  switch (name) {
    case 'TEST_OPERATION_FAILED':
      return unappliablePatch(`testing value ${path} failed: test failed`);
    case 'OPERATION_FROM_UNRESOLVABLE':
      return missing('from path', from);
    case 'OPERATION_VALUE_OUT_OF_BOUNDS':
    case 'OPERATION_PATH_ILLEGAL_ARRAY_INDEX': {
      const last = path.slice(path.lastIndexOf('/') + 1);
      return unappliablePatch(
        `error in ${op} for path: '${path}': Unable to access invalid index: ${last}: invalid index referenced`,
      );
    }
    case 'OPERATION_PATH_CANNOT_ADD':
    case 'OPERATION_PATH_UNRESOLVABLE':
      if (op === 'replace') return missing('key', path);
      if (op === 'move' || op === 'copy') return missing('destination path', path);
      return missing('path', `"${path}"`);
    default:
      return unappliablePatch(
        `${op} operation at path "${path}" failed: ${error instanceof Error ? error.message : String(error)}`,
      );
  }
}

/** How encoding/json names a JSON value's type in "cannot unmarshal X into Go value" errors. */
function goJsonType(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (isJsonObject(value)) return 'object';
  if (typeof value === 'boolean') return 'bool';
  return typeof value;
}
