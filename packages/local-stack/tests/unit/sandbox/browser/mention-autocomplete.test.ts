import { describe, expect, it } from '@jest/globals';
import {
  type MentionCandidate,
  matchingCandidates,
  mentionQuery,
} from '../../../../src/sandbox/browser/views/mention-autocomplete';

const person = (id: string, name: string, realName: string): MentionCandidate => ({
  kind: 'user',
  id,
  label: realName,
  handle: `@${name}`,
  keys: [name, ...realName.toLowerCase().split(' ')],
  wire: `<@${id}>`,
});
const PEOPLE = [person('U1', 'ana', 'Ana Approver'), person('U2', 'omar', 'Omar Approver')];

describe('the composer’s @ suggestions', () => {
  it('start at an @ that begins a word, up to the caret', () => {
    expect(mentionQuery('/greenlight request "x" @an', 27)).toEqual({ start: 24, query: 'an' });
    expect(mentionQuery('@', 1)).toEqual({ start: 0, query: '' });
    expect(mentionQuery('mail ana@example', 16)).toBeUndefined();
    expect(mentionQuery('@ana done', 9)).toBeUndefined();
  });

  it('match the start of a handle or of any word of the name, ignoring case', () => {
    expect(matchingCandidates(PEOPLE, 'AN').map((candidate) => candidate.id)).toEqual(['U1']);
    expect(matchingCandidates(PEOPLE, 'appr').map((candidate) => candidate.id)).toEqual(['U1', 'U2']);
    expect(matchingCandidates(PEOPLE, 'zed')).toEqual([]);
  });
});
