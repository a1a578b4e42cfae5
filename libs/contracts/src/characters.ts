/**
 * Half of a UTF-16 surrogate pair without its other half (JSON's `"\ud800"` decodes to one):
 * no character, with no UTF-8 form, so Postgres can store it neither in text nor in jsonb.
 */
export const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The C0 control characters and DEL: never part of a name, a header or one line of text. */
export const CONTROL_CHARACTER = /[\u0000-\u001f\u007f]/;
