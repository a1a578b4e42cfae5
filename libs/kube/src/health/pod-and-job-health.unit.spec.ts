import { jobHealth } from './job-health';
import { podHealth, type PodLike } from './pod-health';

describe('podHealth', () => {
  const container = (state: object, ready = false) => ({ name: 'app', ready, state });

  it.each<[string, PodLike, string]>([
    ['Running with every container ready', { status: { phase: 'Running', containerStatuses: [container({ running: {} }, true)] } }, 'Healthy'],
    ['Succeeded', { status: { phase: 'Succeeded' } }, 'Healthy'],
    ['Running with a container not ready', { status: { phase: 'Running', containerStatuses: [container({ running: {} })] } }, 'Progressing'],
    ['Pending while the image is pulled', { status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ContainerCreating' } })] } }, 'Progressing'],
    ['Pending in ImagePullBackOff', { status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })] } }, 'Degraded'],
    ['Running in CrashLoopBackOff', { status: { phase: 'Running', containerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff' } })] } }, 'Degraded'],
    ['an init container that cannot pull', { status: { phase: 'Pending', initContainerStatuses: [container({ waiting: { reason: 'ErrImagePull' } })] } }, 'Degraded'],
    ['Failed', { status: { phase: 'Failed', message: 'OOMKilled' } }, 'Degraded'],
    ['Running a run-to-completion pod', { spec: { restartPolicy: 'Never' }, status: { phase: 'Running', containerStatuses: [container({ running: {} }, true)] } }, 'Progressing'],
    ['in phase Unknown (node lost)', { status: { phase: 'Unknown' } }, 'Unknown'],
    ['Running, containers ready but a readiness gate not', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'False', reason: 'ReadinessGatesNotReady' }], containerStatuses: [container({ running: {} }, true)] } }, 'Progressing'],
    ['Running and Ready by its condition', { status: { phase: 'Running', conditions: [{ type: 'Ready', status: 'True' }], containerStatuses: [container({ running: {} }, true)] } }, 'Healthy'],
    ['Running, not ready, after its container was OOMKilled', { status: { phase: 'Running', containerStatuses: [{ ...container({ running: {} }), lastState: { terminated: { exitCode: 137, reason: 'OOMKilled' } } }] } }, 'Degraded'],
    ['Pending in ImagePullBackOff, run to completion (a retry may pull it)', { spec: { restartPolicy: 'Never' }, status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImagePullBackOff' } })] } }, 'Progressing'],
    ['Running a job\'s pod in CrashLoopBackOff (OnFailure: the job\'s backoff decides)', { spec: { restartPolicy: 'OnFailure' }, status: { phase: 'Running', containerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff' } })] } }, 'Progressing'],
    ['Pending with an image that cannot be inspected', { status: { phase: 'Pending', containerStatuses: [container({ waiting: { reason: 'ImageInspectError' } })] } }, 'Degraded'],
  ])('given a pod %s, then %s', (_, pod, expected) => {
    expect(podHealth(pod).status).toBe(expected);
  });

  it('given CrashLoopBackOff, then the message names the container and the reason', () => {
    const pod = { status: { phase: 'Running', containerStatuses: [container({ waiting: { reason: 'CrashLoopBackOff', message: 'back-off 5m0s' } })] } };
    expect(podHealth(pod).message).toBe('container app: CrashLoopBackOff: back-off 5m0s');
  });
});

describe('jobHealth', () => {
  const condition = (type: string, message?: string) => ({ type, status: 'True', message });

  it.each<[string, Parameters<typeof jobHealth>[0], string]>([
    ['Complete', { status: { succeeded: 1, conditions: [condition('Complete')] } }, 'Healthy'],
    ['Failed', { status: { failed: 6, conditions: [condition('Failed', 'Job has reached the specified backoff limit')] } }, 'Degraded'],
    ['failing (FailureTarget) while pods terminate', { status: { conditions: [condition('FailureTarget')] } }, 'Degraded'],
    ['suspended by spec', { spec: { suspend: true }, status: {} }, 'Suspended'],
    ['suspended by condition', { status: { conditions: [condition('Suspended')] } }, 'Suspended'],
    ['running', { status: { active: 1 } }, 'Progressing'],
  ])('given a job %s, then %s', (_, job, expected) => {
    expect(jobHealth(job).status).toBe(expected);
  });

  it('given a Failed job, then the message is the condition\'s', () => {
    expect(jobHealth({ status: { conditions: [condition('Failed', 'BackoffLimitExceeded')] } }).message).toBe('BackoffLimitExceeded');
  });
});
