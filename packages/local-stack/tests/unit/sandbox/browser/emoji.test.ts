import { describe, expect, it } from '@jest/globals';
import { emojiFor, replaceEmoji } from '../../../../src/sandbox/browser/block-kit/emoji';

describe('emoji codes, as Slack names them', () => {
  it('knows the ones apps post, :heavy_multiplication_x: among them', () => {
    expect(replaceEmoji(':heavy_multiplication_x: Cancelled :white_check_mark: :+1:')).toBe(
      '✖️ Cancelled ✅ 👍',
    );
  });

  it('knows the names Slack spells otherwise than GitHub', () => {
    expect(emojiFor('large_green_circle')).toBe(emojiFor('green_circle'));
    expect(emojiFor('large_green_circle')).toBeDefined();
  });

  it('leaves a code nobody knows as typed', () => {
    expect(replaceEmoji('a :not_an_emoji: b')).toBe('a :not_an_emoji: b');
  });
});
