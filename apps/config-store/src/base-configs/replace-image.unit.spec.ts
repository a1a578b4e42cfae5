import type { BaseDocument } from '@slipway/contracts';
import { stringify } from 'yaml';
import { replaceImage } from './replace-image';

const web: BaseDocument = {
  objectName: 'web', kind: 'Deployment', apiVersion: 'apps/v1',
  config: stringify({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web' }, spec: { template: { spec: { containers: [{ name: 'app', image: 'r/app:1' }, { name: 'side', image: 'r/side:1' }] } } } }),
};
const cm: BaseDocument = { objectName: 'cm', kind: 'ConfigMap', apiVersion: 'v1', config: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: cm\n' };

describe('replaceImage', () => {
  it('sets the first container\'s image when no container is named, and leaves the others', () => {
    const { config, container } = replaceImage(web, undefined, 'r/app:2');
    expect(container).toBe('app');
    expect(config).toContain('image: r/app:2');
    expect(config).toContain('image: r/side:1');
  });

  it('sets the named container\'s image', () => {
    const { config, container } = replaceImage(web, 'side', 'r/side:2');
    expect(container).toBe('side');
    expect(config).toContain('image: r/app:1');
    expect(config).toContain('image: r/side:2');
  });

  it('refuses an unknown container, naming the ones there are, and an object without containers', () => {
    expect(() => replaceImage(web, 'nope', 'x:1')).toThrow(expect.objectContaining({ code: 'invalid', field: 'container', message: expect.stringContaining('app, side') }));
    expect(() => replaceImage(cm, undefined, 'x:1')).toThrow(expect.objectContaining({ code: 'invalid', field: 'object' }));
  });
});
