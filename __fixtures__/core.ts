/**
 * Typed mocks of the parts of @actions/core the action uses. Tests install them with
 * `jest.unstable_mockModule('@actions/core', () => core)` before importing src/main.js.
 */
import type * as core from '@actions/core';
import { jest } from '@jest/globals';

export const debug = jest.fn<typeof core.debug>();
export const info = jest.fn<typeof core.info>();
export const notice = jest.fn<typeof core.notice>();
export const warning = jest.fn<typeof core.warning>();
export const error = jest.fn<typeof core.error>();
export const getInput = jest.fn<typeof core.getInput>();
export const setOutput = jest.fn<typeof core.setOutput>();
export const setFailed = jest.fn<typeof core.setFailed>();
export const setSecret = jest.fn<typeof core.setSecret>();
export const saveState = jest.fn<typeof core.saveState>();
export const getState = jest.fn<typeof core.getState>();
export const isDebug = jest.fn<typeof core.isDebug>();
/** Runs the function, as the real `group` does, without the log markers. */
export const group = jest.fn(<T>(_name: string, fn: () => Promise<T>): Promise<T> => fn());
export const summary = {
  addRaw: jest.fn().mockReturnThis(),
  write: jest.fn(() => Promise.resolve(summary))
};
