/**
 * The planner's keyword heuristic. A feature's words are lower-cased (camelCase and punctuation split
 * them, and each adjacent pair is also tried joined, so "Sign in" reads as "signin"); a keyword matches
 * a word that starts with it, so "orders" matches "order".
 *
 * - Stores data (depends on Database when --database): any STORES_DATA keyword.
 * - Involves accounts (depends on Auth when --auth): any NEEDS_AUTH keyword (accounts, orders,
 *   checkout, profiles, admin, and their close relatives).
 * - Admin feature (domain "admin", runs after every other feature, which it manages): any ADMIN keyword.
 */

/** Keywords of features that read or write stored records. */
export const STORES_DATA = [
  'product', 'catalog', 'catalogue', 'categor', 'inventor', 'cart', 'basket', 'order', 'checkout', 'payment',
  'invoice', 'billing', 'subscription', 'user', 'profile', 'account', 'customer', 'member', 'review', 'rating',
  'comment', 'post', 'blog', 'article', 'wishlist', 'favorite', 'favourite', 'bookmark', 'booking',
  'reservation', 'appointment', 'event', 'calendar', 'message', 'chat', 'inbox', 'notification', 'note', 'task',
  'todo', 'search', 'history', 'upload', 'file', 'gallery', 'photo', 'admin', 'dashboard', 'analytic', 'report',
  'listing', 'record', 'data',
];

/** Keywords of features that involve a signed-in user. */
export const NEEDS_AUTH = [
  'account', 'order', 'checkout', 'profile', 'admin', 'user', 'member', 'login', 'logout', 'signin', 'signup',
  'billing', 'payment', 'subscription', 'setting', 'wishlist', 'favorite', 'favourite', 'history', 'inbox',
  'message',
];

/** Keywords of features that administer the others. */
export const ADMIN = ['admin', 'backoffice', 'moderation'];

/** True when one of the feature's words (or adjacent word pairs) starts with one of the keywords. */
export function mentions(feature: string, keywords: string[]): boolean {
  const words = featureWords(feature);
  return words.some((word) => keywords.some((keyword) => word.startsWith(keyword)));
}

/** Lower-case words of a feature plus each adjacent pair joined ("Sign in" → sign, in, signin). */
function featureWords(feature: string): string[] {
  const words = feature
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((word) => word !== '');
  return [...words, ...words.slice(1).map((word, index) => words[index] + word)];
}
