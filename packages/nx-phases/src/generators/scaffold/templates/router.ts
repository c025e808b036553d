import { doc } from '../code';

/**
 * The tiny hash router (no react-router): route type, current hash path, lookup and link.
 * Exported from src/routes.tsx; inlined (unexported) into an App.tsx that has no routes module.
 */
export function routerLines(exported: boolean): string[] {
  const e = exported ? 'export ' : '';
  return [
    doc('One entry of the route table: a hash path, its navigation title and its page.'),
    `${e}interface AppRoute {`,
    '  path: string;',
    '  title: string;',
    '  render: () => ReactNode;',
    '}',
    '',
    doc('The current hash path ("#/cart" → "/cart"); re-renders when the hash changes.'),
    `${e}function useHashPath(): string {`,
    '  const [path, setPath] = useState(readHashPath);',
    '  useEffect(() => {',
    '    const onHashChange = () => setPath(readHashPath());',
    "    window.addEventListener('hashchange', onHashChange);",
    "    return () => window.removeEventListener('hashchange', onHashChange);",
    '  }, []);',
    '  return path;',
    '}',
    '',
    'function readHashPath(): string {',
    "  return window.location.hash.replace(/^#/, '') || '/';",
    '}',
    '',
    doc('The route registered for `path`, or undefined when none is.'),
    `${e}function findRoute(table: readonly AppRoute[], path: string): AppRoute | undefined {`,
    '  return table.find((route) => route.path === path);',
    '}',
    '',
    doc('A link to a hash route.'),
    `${e}function RouteLink(props: { to: string; children: ReactNode }) {`,
    '  return <a href={`#${props.to}`}>{props.children}</a>;',
    '}',
  ];
}
