import type { FastifyRequest } from 'fastify';
import { wantsYaml } from './respond';

const accepting = (accept?: string) => ({ headers: accept === undefined ? {} : { accept } }) as FastifyRequest;

describe('wantsYaml', () => {
  it.each([
    ['application/yaml', true],
    ['text/yaml', true],
    ['application/x-yaml, application/json;q=0.5', true],
    ['application/yaml, */*', true],
    [undefined, false],
    ['*/*', false],
    ['application/json, application/yaml', false],
    // q=0 is "not acceptable"; a lower q is a lower preference.
    ['application/yaml;q=0', false],
    ['application/yaml;q=0.1, application/json;q=0.9', false],
    ['application/json;q=0.2, application/yaml;q=0.8', true],
    ['application/yaml; q=0.5, */*;q=0.4', true],
    ['application/yaml;q=abc', false],
    // the most specific range decides: JSON refused outright, YAML reached through text/*
    ['application/json;q=0, */*', true],
    ['text/*', true],
    ['text/*;q=0.5, application/json', false],
  ])('Accept %s → YAML %s', (accept, yaml) => {
    expect(wantsYaml(accepting(accept))).toBe(yaml);
  });
});
