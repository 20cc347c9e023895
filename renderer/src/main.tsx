import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { DisplayApp, isDisplayLocation } from './display/DisplayApp';
import { isRoomLocation, RoomApp } from './room/RoomApp';
import { SignInGate } from './signin/SignInGate';
import './styles.css';

const rootElement = document.getElementById('root');
if (!rootElement) throw new Error('index.html has no #root element');
// One bundle, three screens: the waiting-room display is chosen by its address and never starts the desk store;
// the clinician's room (/room, ?view=room) has its own store; the desk starts its store once someone has signed
// in (App.tsx).
const display = isDisplayLocation(window.location);
const room = !display && isRoomLocation(window.location);
createRoot(rootElement).render(
  <StrictMode>
    {display ? (
      <DisplayApp />
    ) : room ? (
      <SignInGate>
        <RoomApp />
      </SignInGate>
    ) : (
      <App />
    )}
  </StrictMode>,
);
