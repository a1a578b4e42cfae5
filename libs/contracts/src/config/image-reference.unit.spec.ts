import { imageReferenceProblem } from './image-reference';
import { UpdateBaseImage } from './base-configs';

describe('image references', () => {
  it.each([
    'nginx', 'nginx:1.27', 'gcr.io/instabase-public/api:1.1', 'localhost:5000/team/app', 'Registry.Example.com:443/a/b_c__d-e.f:v1.0-rc_1',
    `nginx@sha256:${'a'.repeat(64)}`, `gcr.io/x/y:1@sha256:${'A'.repeat(64)}`, 'Team/app',
  ])('takes %s', (reference) => expect(imageReferenceProblem(reference)).toBeUndefined());

  it.each([
    ['two tags', 'foo:bar:baz'], ['a digest that is no hex', 'foo@sha256:zz'], ['a capital in the path', 'Gcr.io/X/Y:1'], ['a capital in a bare name', 'imageValue'],
    ['a tag starting with a dot', 'nginx:.1'], ['an empty component', 'gcr.io//app'], ['a trailing separator', 'app-'], ['a tag of 129 characters', `app:${'t'.repeat(129)}`],
  ])('refuses %s', (_, reference) => expect(imageReferenceProblem(reference)).toMatch(/^must be an image reference/));

  it('refuses a registry port outside 1-65535 and a repository name past 255 characters, naming which', () => {
    expect(imageReferenceProblem('localhost:70000/app')).toBe('has a registry port outside 1-65535');
    expect(imageReferenceProblem(`gcr.io/${'a'.repeat(250)}:1`)).toBe('has a repository name longer than 255 characters');
    expect(imageReferenceProblem(`gcr.io/${'a'.repeat(240)}:${'t'.repeat(100)}`)).toBeUndefined();
  });

  it('is how an image update is read: a bad reference is refused naming the field', () => {
    const parsed = UpdateBaseImage.schema.safeParse({ object: 'app', image: 'foo:bar:baz', comment: 'c' });
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]).toMatchObject({ path: ['image'], message: expect.stringMatching(/^must be an image reference/) });
  });
});
