import { Navigate, Route, Routes } from 'react-router-dom';
import type { Me } from '../../api/types.ts';
import { TemplateEditorPage } from './template-editor-page.tsx';
import { TemplatesListPage } from './templates-list-page.tsx';

/**
 * `/templates` lists them; `/templates/new` and `/templates/:id` share one route so that saving a
 * new template (which moves to its id) keeps the editor, its preview contact and spintax seed.
 */
export function TemplatesPage({ me }: { me: Me }) {
  return (
    <Routes>
      <Route index element={<TemplatesListPage me={me} />} />
      <Route path=":id" element={<TemplateEditorPage me={me} />} />
      <Route path="*" element={<Navigate to="/templates" replace />} />
    </Routes>
  );
}
