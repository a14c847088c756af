import type { Choice } from '../../slack-requests/block-elements';
import type { ValuesInput } from '../protocol';
import type { InputRegistry } from './block-kit/render-context';

/** Gathers the values of a surface's stateful controls when it is submitted or acted on. */
export class CollectingRegistry implements InputRegistry {
  private readonly readers: Array<{ blockId: string; actionId: string; read: () => Choice }> = [];

  register(blockId: string, actionId: string, read: () => Choice): void {
    this.readers.push({ blockId, actionId, read });
  }

  collect(): ValuesInput {
    const values: ValuesInput = {};
    for (const { blockId, actionId, read } of this.readers) {
      values[blockId] = { ...values[blockId], [actionId]: read() };
    }
    return values;
  }
}
