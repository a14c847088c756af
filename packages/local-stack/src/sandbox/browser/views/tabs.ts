export type ToolName = 'thread' | 'websocket' | 'email' | 'workflows' | 'builder';

const NAMES: ToolName[] = ['thread', 'websocket', 'email', 'workflows', 'builder'];

/** The tools pane's tabs, with the keyboard behaviour of the ARIA tabs pattern (arrows, Home, End). */
export class Tabs {
  constructor(private readonly tablist: HTMLElement) {
    for (const name of NAMES) {
      this.tab(name).addEventListener('click', () => this.select(name));
    }
    tablist.addEventListener('keydown', (event) => {
      const index = NAMES.findIndex((name) => this.tab(name) === document.activeElement);
      if (index < 0) return;
      const next =
        event.key === 'ArrowRight'
          ? (index + 1) % NAMES.length
          : event.key === 'ArrowLeft'
            ? (index - 1 + NAMES.length) % NAMES.length
            : event.key === 'Home'
              ? 0
              : event.key === 'End'
                ? NAMES.length - 1
                : undefined;
      const name = next === undefined ? undefined : NAMES[next];
      if (name === undefined) return;
      event.preventDefault();
      this.select(name, true);
    });
  }

  select(selected: ToolName, focus = false): void {
    for (const name of NAMES) {
      const tab = this.tab(name);
      const isSelected = name === selected;
      tab.setAttribute('aria-selected', String(isSelected));
      tab.tabIndex = isSelected ? 0 : -1;
      const panel = document.getElementById(`panel-${name}`);
      if (panel) panel.hidden = !isSelected;
    }
    if (focus) this.tab(selected).focus();
  }

  private tab(name: ToolName): HTMLElement {
    const tab = this.tablist.querySelector<HTMLElement>(`#tab-${name}`);
    if (tab === null) throw new Error(`no tab ${name}`);
    return tab;
  }
}
