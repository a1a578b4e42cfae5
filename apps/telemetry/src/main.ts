import 'reflect-metadata';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startTelemetry } from './service';

void runUntilSignal('telemetry', () => startTelemetry(loadConfig()));
