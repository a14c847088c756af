import type { WebClient } from '@slack/web-api';
import type { HomeContents, HomePublisher } from '../approvals';
import { homeView } from './views/home-view';

/** views.publish: the person's Home tab replaced with what it shows now. */
export class SlackHomePublisher implements HomePublisher {
  constructor(private readonly client: Pick<WebClient, 'views'>) {}

  async publish(contents: HomeContents): Promise<void> {
    await this.client.views.publish({ user_id: contents.user, view: homeView(contents) });
  }
}
