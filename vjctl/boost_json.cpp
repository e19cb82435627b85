// Boost.JSON's compiled part (the error category its parser reports with), built into vjctl the
// way that library documents for header-only use: boost/json/src.hpp in exactly one source file.
#include <boost/json/src.hpp>
