/** Go's standard base64 alphabet, padded: what the API server decodes a `[]byte` field with. */
const STANDARD_PADDED = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;

/** Text without its line breaks, which the API server skips in base64 (a PEM-wrapped `caBundle`, `base64` output wrapped at 76). */
export const withoutLineBreaks = (text: string): string => text.replace(/[\r\n]/g, '');

/** Whether text is base64 as the API server decodes a `[]byte` field (a Secret's `data`, a ConfigMap's `binaryData`, a `caBundle`). */
export const isApiServerBase64 = (text: string): boolean => STANDARD_PADDED.test(withoutLineBreaks(text));
