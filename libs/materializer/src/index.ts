export { strategicMerge, strategicMergeAll, typeMetaOf } from './strategic-merge';
export { jsonMergePatch } from './json-merge-patch';
export { applyJsonPatch, RFC_6902_OPS, type JsonPatchOperation } from './json-patch';
export { structurallyEqual, firstDifference, sortKeysDeep } from './structural';
export { isBuiltinKind, isClusterScoped, podSpecPath, rootType, type TypeMeta } from './kinds';
export { fieldSchema, types as mergeKeyTable, type FieldSchema, type TypeName } from './merge-keys';
export { MaterializerError, isMaterializerError, type MaterializerErrorCode } from './errors';
export { isJsonObject, MAX_NESTING, type JsonObject, type JsonPrimitive, type JsonValue } from './json';
export { toYamlText } from './yaml-text';
