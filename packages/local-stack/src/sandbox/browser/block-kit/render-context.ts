import type { Choice } from '../../../slack-requests/block-elements';
import type { Names } from './mrkdwn';

export type Json = Record<string, unknown>;

export function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A person using an interactive element: a click, or a choice in a select, picker or overflow menu. */
export interface ElementUse {
  blockId: string;
  actionId: string;
  element: Json;
  choice?: Choice;
}

/** Where stateful controls report how to read them, so a submission can gather `state.values`. */
export interface InputRegistry {
  register(blockId: string, actionId: string, read: () => Choice): void;
}

export interface Option {
  value: string;
  label: string;
}

export interface RenderContext extends Names {
  surface: 'message' | 'modal';
  /** Unique per rendered surface: element ids (which labels point at) are built from it. */
  idPrefix: string;
  act(use: ElementUse): void;
  inputs: InputRegistry;
  /** Errors to show under input blocks, by block id (`response_action: errors`). */
  errors: Readonly<Record<string, string>>;
  /** For users_select and conversations_select. */
  people: ReadonlyArray<Option>;
  conversations: ReadonlyArray<Option>;
}

/** The registry for surfaces that gather nothing. */
export const NO_INPUTS: InputRegistry = { register: () => undefined };
