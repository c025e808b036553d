import { doc, listText, source } from '../code';
import { phaseLabel, type ScaffoldContext } from '../context';
import { PATHS } from '../conventions';
import { importPath } from '../names';

const SESSION_TYPES = [
  doc('The signed-in user.'),
  'export interface AuthUser {',
  '  id: string;',
  '  email: string;',
  '  name: string;',
  '}',
  '',
  doc('The session and its actions, as returned by useAuth().'),
  'export interface AuthState {',
  '  user: AuthUser | null;',
  '  signIn: (email: string, password: string) => Promise<AuthUser>;',
  '  signOut: () => void;',
  '}',
];

const SIGN_IN_BODY = [
  'async (email: string, password: string) => {',
  "  if (!email.includes('@') || password.length < 8) {",
  "    throw new Error('Enter a valid email address and a password of at least 8 characters.');",
  '  }',
  "  const user: AuthUser = { id: email.toLowerCase(), email, name: email.split('@')[0] };",
  '  setUser(user);',
  '  return user;',
  '}',
];

/** src/auth/AuthContext.tsx: the session context and its provider (in memory; swap signIn for your backend). */
export function authContextTemplate(ctx: ScaffoldContext): string {
  return source(
    doc(`Authentication of ${ctx.planName} (${phaseLabel(ctx.phase)}): ${listText(ctx.phase.features, 'sign-in')}.`),
    "import { createContext, useMemo, useState, type ReactNode } from 'react';",
    '',
    SESSION_TYPES,
    '',
    doc('The session; undefined outside <AuthProvider>.'),
    'export const AuthContext = createContext<AuthState | undefined>(undefined);',
    '',
    doc('Keeps the session in memory; replace signIn with a call to your auth backend.'),
    'export function AuthProvider(props: { children: ReactNode }) {',
    '  const [user, setUser] = useState<AuthUser | null>(null);',
    '  const value = useMemo<AuthState>(',
    '    () => ({',
    '      user,',
    `      signIn: ${SIGN_IN_BODY[0]}`,
    ...SIGN_IN_BODY.slice(1, -1).map((line) => `      ${line}`),
    '      },',
    '      signOut: () => setUser(null),',
    '    }),',
    '    [user],',
    '  );',
    '  return <AuthContext.Provider value={value}>{props.children}</AuthContext.Provider>;',
    '}',
  );
}

/** src/auth/useAuth.ts: the session hook; uses AuthContext when present, else a local session. */
export function useAuthTemplate(ctx: ScaffoldContext, path: string): string {
  const header = doc(`The session hook of ${ctx.planName} (${phaseLabel(ctx.phase)}).`);
  if (!ctx.exports(PATHS.authContext, 'AuthContext')) {
    return source(
      header,
      "import { useState } from 'react';",
      '',
      SESSION_TYPES,
      '',
      doc('A session local to the calling component (add src/auth/AuthContext.tsx to share it app-wide).'),
      'export function useAuth(): AuthState {',
      '  const [user, setUser] = useState<AuthUser | null>(null);',
      '  return {',
      '    user,',
      `    signIn: ${SIGN_IN_BODY[0]}`,
      ...SIGN_IN_BODY.slice(1, -1).map((line) => `    ${line}`),
      '    },',
      '    signOut: () => setUser(null),',
      '  };',
      '}',
    );
  }
  return source(
    header,
    "import { useContext } from 'react';",
    `import { AuthContext, type AuthState } from '${importPath(path, PATHS.authContext)}';`,
    '',
    'const signedOut: AuthState = {',
    '  user: null,',
    "  signIn: () => Promise.reject(new Error('Sign-in needs <AuthProvider> around the app: wrap the shell in src/App.tsx with it.')),",
    '  signOut: () => undefined,',
    '};',
    '',
    doc('The session from <AuthProvider>; a signed-out session when the app is not wrapped in one.'),
    'export function useAuth(): AuthState {',
    '  return useContext(AuthContext) ?? signedOut;',
    '}',
  );
}

/** src/pages/login.tsx: a sign-in form bound to useAuth() when present. */
export function loginPageTemplate(ctx: ScaffoldContext, path: string): string {
  const hasAuth = ctx.exports(PATHS.useAuth, 'useAuth');
  return source(
    doc(`Sign-in page of ${ctx.planName} (${phaseLabel(ctx.phase)}).`),
    "import { useState } from 'react';",
    hasAuth && `import { useAuth } from '${importPath(path, PATHS.useAuth)}';`,
    '',
    doc('The login page.'),
    'export function LoginPage() {',
    hasAuth && '  const { user, signIn, signOut } = useAuth();',
    "  const [email, setEmail] = useState('');",
    "  const [password, setPassword] = useState('');",
    "  const [message, setMessage] = useState('');",
    '',
    '  function onSubmit(event: { preventDefault(): void }) {',
    '    event.preventDefault();',
    hasAuth
      ? [
          '    signIn(email, password).then(',
          "      () => setMessage(''),",
          '      (reason: unknown) => setMessage(reason instanceof Error ? reason.message : String(reason)),',
          '    );',
        ]
      : `    setMessage(\`Sign-in for \${email} is not wired yet: add an auth phase that writes ${PATHS.useAuth}.\`);`,
    '  }',
    '',
    hasAuth && [
      '  if (user) {',
      '    return (',
      '      <section>',
      '        <p>Signed in as {user.email}.</p>',
      '        <button type="button" onClick={signOut}>',
      '          Sign out',
      '        </button>',
      '      </section>',
      '    );',
      '  }',
    ],
    '  return (',
    '    <form onSubmit={onSubmit}>',
    '      <h1>Sign in</h1>',
    '      <label>',
    '        Email <input type="email" value={email} onChange={(event) => setEmail(event.target.value)} />',
    '      </label>',
    '      <label>',
    '        Password <input type="password" value={password} onChange={(event) => setPassword(event.target.value)} />',
    '      </label>',
    '      {message && <p role="alert">{message}</p>}',
    '      <button type="submit">Sign in</button>',
    '    </form>',
    '  );',
    '}',
  );
}
