/**
 * The manager's mapping screen for report exports and Vision's backup file (issue 19 item 3), wired to the desk:
 * mount it as <FeedMappingPanel />. Its elements are FeedMappingPanelBody; its steps feed-mapping-model.ts.
 */
import { useEffect, useMemo, useSyncExternalStore } from 'react';
import { getDeskClient } from '../api/client';
import { createFeedMappingController } from './feed-mapping-model';
import { FeedMappingPanelBody, type FeedMappingActions } from './FeedMappingPanelBody';

export { FeedMappingPanelBody, outcomeText, type FeedMappingActions } from './FeedMappingPanelBody';

/** The panel a manager's screen mounts: <FeedMappingPanel />. */
export function FeedMappingPanel() {
  const controller = useMemo(() => createFeedMappingController(getDeskClient), []);
  const screen = useSyncExternalStore(controller.subscribe, controller.get);
  useEffect(() => {
    void controller.load();
  }, [controller]);
  const actions: FeedMappingActions = {
    chooseFile(event) {
      const file = event.target.files?.[0];
      if (!file) return;
      void file.text().then((text) => controller.chooseSample(file.name, text));
    },
    chooseColumn: (field, column) => void controller.chooseColumn(field, column),
    chooseDelimiter: (d) => void controller.chooseDelimiter(d),
    choosePreset: (id) => void controller.choosePreset(id),
    useGuess: () => void controller.useGuess(),
    setName: (name) => controller.setName(name),
    save(event) {
      event.preventDefault();
      void controller.save();
    },
  };
  return <FeedMappingPanelBody screen={screen} actions={actions} />;
}
