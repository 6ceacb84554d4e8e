/** PWA entry: sets the page language and theme, registers the service worker, and mounts the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './i18n/i18n.svelte.ts';
import { pwa } from './shell/pwa.svelte.ts';
import { theme } from './shell/theme.svelte.ts';
import './shell/theme.css';

document.documentElement.lang = i18n.lang;
theme.apply();
pwa.start();
mount(App, { target: document.getElementById('app')! });
