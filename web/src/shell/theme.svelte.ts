/** Light or dark colours: the system's (prefers-color-scheme) unless the header's switch chose one, remembered in localStorage. */
export type ThemeChoice = 'system' | 'light' | 'dark';
const STORAGE_KEY = 'quintet.theme';

function saved(): ThemeChoice {
  const value = typeof localStorage !== 'undefined' ? localStorage.getItem(STORAGE_KEY) : null;
  return value === 'light' || value === 'dark' ? value : 'system';
}

class Theme {
  choice = $state<ThemeChoice>(saved());

  /** Writes the choice on <html data-theme>; the CSS follows prefers-color-scheme when it is absent. */
  apply(): void {
    if (this.choice === 'system') delete document.documentElement.dataset.theme;
    else document.documentElement.dataset.theme = this.choice;
  }

  set(choice: ThemeChoice): void {
    this.choice = choice;
    if (choice === 'system') localStorage.removeItem(STORAGE_KEY);
    else localStorage.setItem(STORAGE_KEY, choice);
    this.apply();
  }
}

export const theme = new Theme();
