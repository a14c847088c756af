import type { MethodHandler } from './method-context';

const test: MethodHandler = (_args, { workspace }) => {
  const { teamId, teamName, botUserId, botId, botName } = workspace.identity;
  const subdomain = teamName.toLowerCase().replace(/[^a-z0-9-]+/g, '-');
  return {
    url: `https://${subdomain}.slack.com/`,
    team: teamName,
    user: botName,
    team_id: teamId,
    user_id: botUserId,
    bot_id: botId,
    is_enterprise_install: false,
  };
};

export const authMethods: Readonly<Record<string, MethodHandler>> = { 'auth.test': test };
