/**
 * What the client SDK shares with other callers of the mesh (a service calling through its
 * gates): the record of a call waiting for its answer, and how an answer settles it.
 */
package io.weft.core.client.impl;
