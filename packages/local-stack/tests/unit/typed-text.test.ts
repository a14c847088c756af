import { describe, expect, it } from '@jest/globals';
import { typedElements } from '../../src/slack-api/typed-text';

describe('a typed message as Slack’s client sends its rich text', () => {
  it('keeps plain text as one text element', () => {
    expect(typedElements('hello & <b>')).toEqual([{ type: 'text', text: 'hello & <b>' }]);
  });

  it('turns picked mentions into user, user group and channel elements between the text', () => {
    expect(typedElements('thanks <@U0APPROVR2|omar> and <!subteam^S0OPS> in <#C0GENERAL>')).toEqual([
      { type: 'text', text: 'thanks ' },
      { type: 'user', user_id: 'U0APPROVR2' },
      { type: 'text', text: ' and ' },
      { type: 'usergroup', usergroup_id: 'S0OPS' },
      { type: 'text', text: ' in ' },
      { type: 'channel', channel_id: 'C0GENERAL' },
    ]);
  });
});
