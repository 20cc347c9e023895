import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { localDateOf } from '../../shared/domain';
import { App, DATE_PARAM, isMergeLocation } from './App';
import { DisplayApp, isDisplayLocation } from './display/DisplayApp';
import { useDeskStore } from './state/desk-store';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
// One bundle, three screens (desk, merge review, display): the display and the merge review are chosen by their address and never start the desk store.
const display = isDisplayLocation(window.location);
if (!display && !isMergeLocation(window.location)) {
  // Before React's first render, not in an effect (which runs only after the first paint): the day's read is
  // on the wire while the shell draws. The desk lives as long as the page, so its stop function is not needed.
  useDeskStore.getState().start(new URLSearchParams(window.location.search).get(DATE_PARAM), localDateOf(new Date()));
}
createRoot(rootElement).render(<StrictMode>{display ? <DisplayApp /> : <App />}</StrictMode>);
