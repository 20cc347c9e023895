import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DisplayApp, isDisplayLocation } from './display/DisplayApp';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
// One bundle, two screens: the waiting-room display is chosen by its address and never starts the desk store;
// the desk starts its store once someone has signed in (App.tsx).
const display = isDisplayLocation(window.location);
createRoot(rootElement).render(<StrictMode>{display ? <DisplayApp /> : <App />}</StrictMode>);
