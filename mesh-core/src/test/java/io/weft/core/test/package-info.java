/** Test support shared by the modules' tests (published in mesh-core's test jar). */
package io.weft.core.test;
