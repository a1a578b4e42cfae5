import 'reflect-metadata';
import { loadConfig, runUntilSignal } from '@slipway/runtime';
import { startConfigStore } from './service';

void runUntilSignal('config-store', () => startConfigStore(loadConfig()));
