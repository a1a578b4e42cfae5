export * from './seal-text';
export * from './seal-store';
export * from './seal-map';
export type { TextToSeal } from './sealed-spans';
