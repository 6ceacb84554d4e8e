/** PWA entry: sets the page language and mounts the app. */
import { mount } from 'svelte';
import App from './App.svelte';
import { i18n } from './i18n/i18n.svelte.ts';

document.documentElement.lang = i18n.lang;
mount(App, { target: document.getElementById('app')! });
