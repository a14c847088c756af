import type { Approval } from './model';

/**
 * What a person's App Home shows: requests waiting for their decision (oldest first), their own open
 * requests, and the last requests decided that involved them. Read from the indexes only.
 */
export interface HomeContents {
  user: string;
  waiting: Approval[];
  /** How many more wait than fit (see HOME_LIMITS); shown as "and N more". */
  waitingMore: number;
  mine: Approval[];
  mineMore: number;
  recent: Approval[];
  /** A line at the top, e.g. why a click on a stale button changed nothing. */
  notice?: string;
}

/**
 * How many of each the Home shows. With the few fixed blocks, the view stays within Block Kit's
 * 100 blocks: each waiting request takes two (its summary and its buttons), the others one.
 */
export const HOME_LIMITS = { waiting: 25, mine: 15, recent: 20 } as const;

/** The index reads a Home is built from (DynamoDB's Open* and DecidedByPerson indexes). */
export interface HomeReader {
  /** Open requests `user` is an approver of, oldest first. */
  waitingFor(user: string): Promise<Approval[]>;
  /** Open requests `user` made, oldest first. */
  openRequestsOf(user: string): Promise<Approval[]>;
  /** Closed requests that involved `user`, newest decision first, at most `limit`. */
  recentlyDecidedFor(user: string, limit: number): Promise<Approval[]>;
}

/** Keeps, per person involved, the entry of a closed request that "Recently decided" reads. */
export interface HomeHistory {
  recordDecided(approval: Approval, people: readonly string[]): Promise<void>;
}

/** Puts a person's Home on Slack (views.publish). */
export interface HomePublisher {
  publish(contents: HomeContents): Promise<void>;
}

/** Everyone a request concerns: its requester and approvers, each once. */
export function peopleConcerned(approval: Pick<Approval, 'requester' | 'approvers'>): string[] {
  return [...new Set([approval.requester, ...approval.approvers])];
}

const withoutId = (list: Approval[], id: string) => list.filter((item) => item.id !== id);
const byCreation = (a: Approval, b: Approval) => a.createdAt.localeCompare(b.createdAt);

/**
 * A person's Home. `changed` is the request whose change prompted this read, as the record has it
 * now: the indexes are updated asynchronously (a GSI lags its table), so it is placed by its
 * current state, whatever the index still says about it.
 */
export async function homeContents(
  reader: HomeReader,
  user: string,
  options: { changed?: Approval; notice?: string } = {},
): Promise<HomeContents> {
  const [waitingAll, mineAll, recentAll] = await Promise.all([
    reader.waitingFor(user),
    reader.openRequestsOf(user),
    reader.recentlyDecidedFor(user, HOME_LIMITS.recent),
  ]);
  let waiting = waitingAll;
  let mine = mineAll;
  let recent = recentAll;
  const { changed } = options;
  if (changed !== undefined) {
    waiting = withoutId(waiting, changed.id);
    mine = withoutId(mine, changed.id);
    recent = withoutId(recent, changed.id);
    if (changed.status === 'PENDING') {
      if (changed.approvers.includes(user)) waiting = [...waiting, changed].sort(byCreation);
      if (changed.requester === user) mine = [...mine, changed].sort(byCreation);
    } else if (peopleConcerned(changed).includes(user)) {
      recent = [changed, ...recent].slice(0, HOME_LIMITS.recent);
    }
  }
  return {
    user,
    waiting: waiting.slice(0, HOME_LIMITS.waiting),
    waitingMore: Math.max(0, waiting.length - HOME_LIMITS.waiting),
    mine: mine.slice(0, HOME_LIMITS.mine),
    mineMore: Math.max(0, mine.length - HOME_LIMITS.mine),
    recent,
    ...(options.notice ? { notice: options.notice } : {}),
  };
}

export interface HomeRefreshDeps {
  reader: HomeReader;
  history: HomeHistory;
  publisher: HomePublisher;
  warn: (message: string, fields: Record<string, unknown>) => void;
}

/**
 * Republishes the Home of everyone `approval` concerns, after it was created or closed (a closed
 * one is first written into their "Recently decided"). A Home that cannot be published is logged
 * and left: it is a view of the record, refreshed again when the person opens it, and a click on
 * a button it still shows is refused by the record and refreshes it. Returns how many were published.
 */
export async function refreshHomes(deps: HomeRefreshDeps, approval: Approval): Promise<number> {
  const people = peopleConcerned(approval);
  if (approval.status !== 'PENDING') await deps.history.recordDecided(approval, people);
  let published = 0;
  for (const user of people) {
    try {
      await deps.publisher.publish(await homeContents(deps.reader, user, { changed: approval }));
      published += 1;
    } catch (error) {
      deps.warn('home_publish_failed', { approvalId: approval.id, user, error });
    }
  }
  return published;
}
